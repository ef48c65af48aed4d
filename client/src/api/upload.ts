/**
 * Multipart upload with progress. fetch() cannot report upload progress, so this one call uses
 * XMLHttpRequest; the answer is parsed the same way as every other API call.
 */
export interface UploadProgress {
  loaded: number;
  total: number;
}

export function uploadWithProgress<T>(
  url: string,
  file: File,
  signal: AbortSignal,
  onProgress?: (p: UploadProgress) => void,
): Promise<{ ok: true; body: T } | { ok: false; status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      resolve(xhr.status >= 200 && xhr.status < 300 ? { ok: true, body: body as T } : { ok: false, status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('The upload failed: the server could not be reached'));
    xhr.onabort = () => reject(new DOMException('Upload canceled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
