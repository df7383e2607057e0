/** A picked file as a data URL (`data:<type>;base64,…`), reporting how much has been read. */
export function readDataUrl(file: File, onProgress?: (share: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    if (onProgress) r.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

/** The base64 part of a data URL. */
export const base64Of = (dataUrl: string) => dataUrl.slice(dataUrl.indexOf(',') + 1);
