// Saves text as a file through a blob: link — the browser's download (or
// Electron's download handling) writes it; nothing leaves the machine.
export function saveFile(content: string, fileName: string, type: string, parent: HTMLElement = document.body): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  // Inside an open modal dialog when there is one: outside it, the page is inert.
  parent.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
