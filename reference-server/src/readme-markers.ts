/** The markers around the generated fault table in reference-server/README.md. */
export const FAULT_TABLE_BEGIN = '<!-- fault-table:begin (generated from src/faults.ts; do not edit by hand) -->';
export const FAULT_TABLE_END = '<!-- fault-table:end -->';
