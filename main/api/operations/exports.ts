import { exportInput, exportCsv, exportXlsx } from '../../services/exports.js';
import { everyone } from '../rules.js';
import { operation } from '../operation.js';

// Exports (SPEC §6): any report or list as CSV or an Excel workbook.

export const exportOperations = {
  'exports.csv': operation({ input: exportInput, who: everyone, reads: true, run: (s, input) => exportCsv.parsed(s.ctx, input) }),
  'exports.xlsx': operation({ input: exportInput, who: everyone, reads: true, run: (s, input) => exportXlsx.parsed(s.ctx, input) }),
};
