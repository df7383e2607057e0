import { exportCsv, exportXlsx } from '../../services/exports.js';
import { reads } from './shapes.js';

// Exports (SPEC §6): any report or list as CSV or an Excel workbook.

export const exportOperations = {
  'exports.csv': reads(exportCsv, undefined),
  'exports.xlsx': reads(exportXlsx, undefined),
};
