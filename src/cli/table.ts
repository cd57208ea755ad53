/** A plain text table: columns padded to their widest cell, no borders. */
export function renderTable(headers: string[], rows: string[][]): string {
  // A loop, not Math.max(...cells): spreading a long list into a call overflows the stack.
  const widths = headers.map((header, column) => rows.reduce((widest, row) => Math.max(widest, (row[column] ?? "").length), header.length));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}
