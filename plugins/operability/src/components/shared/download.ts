import type { DownloadedFile } from '../../api';

/**
 * Hands a fetched file to the browser as a download. The file is fetched
 * through fetchApi first because a plain link would carry no Backstage token.
 */
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Chromium reads the blob when the download starts; give it a moment.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
