/** Saves a file the console fetched itself (with its bearer token): a link to the blob, clicked once, then let go. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has started the download by now; the URL is only needed until then.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
