import { ApiError, type Credentials, type Transport } from './types.js';

// HTTP to `milepost serve`: sign in once, then every operation by name.
const STORAGE_KEY = 'milepost.session';

interface Stored {
  token: string;
  tenant: string;
  expires_at: string;
}

async function readAnswer(res: Response): Promise<unknown> {
  let body: { data?: unknown; error?: { code: string; message: string; details?: { field: string; message: string }[] } & Record<string, unknown> } | undefined;
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new ApiError('network', `Milepost answered ${res.status} without a readable body`, [], res.status);
  }
  if (!res.ok || !body || body.error) {
    const { code, message, details, ...extra } = body?.error ?? { code: 'error', message: `request failed (${res.status})` };
    throw new ApiError(code, message, details ?? [], res.status, extra);
  }
  return body.data;
}

export function httpTransport(base = ''): Transport {
  let session: Stored | null = null;
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    const stored = raw ? (JSON.parse(raw) as Stored) : null;
    if (stored && Date.parse(stored.expires_at) > Date.now()) session = stored;
  } catch {
    session = null;
  }

  async function request(path: string, body: unknown, headers: Record<string, string> = {}) {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body ?? {}) });
    } catch {
      throw new ApiError('network', 'Milepost is not reachable. Is `milepost serve` still running?');
    }
    return readAnswer(res);
  }

  return {
    hasSession: async () => session !== null,
    async signIn(c: Credentials) {
      const data = (await request('/api/v1/auth/login', c)) as { token: string; expires_at: string };
      session = { token: data.token, tenant: c.tenant_id, expires_at: data.expires_at };
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    },
    async signOut() {
      const ending = session;
      session = null;
      sessionStorage.removeItem(STORAGE_KEY);
      // The server forgets the token too, so a copy of it is of no use; signing out here never waits on that.
      if (ending) await request('/api/v1/auth/logout', {}, { Authorization: `Bearer ${ending.token}`, 'X-Tenant-ID': ending.tenant }).catch(() => undefined);
    },
    async send(op, input) {
      if (!session) throw new ApiError('unauthorized', 'Please sign in.');
      try {
        return await request(`/api/v1/rpc/${op}`, input, { Authorization: `Bearer ${session.token}`, 'X-Tenant-ID': session.tenant });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'unauthorized') {
          session = null;
          sessionStorage.removeItem(STORAGE_KEY);
        }
        throw err;
      }
    },
    async saveDocument(file) {
      const bytes = Uint8Array.from(atob(file.data_base64), (c) => c.charCodeAt(0));
      download(file.file_name, bytes, file.content_type);
    },
    async saveCsv(file) {
      download(file.filename, file.csv, 'text/csv;charset=utf-8');
      if (file.details) download(file.details.filename, file.details.text, 'application/json');
    },
  };
}

/** A browser download of text made here. */
function download(filename: string, content: string | Uint8Array, type: string) {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
