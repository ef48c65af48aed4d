export interface BundleFile {
  file: string;
  bytes: number;
  gzip: number;
}
/** See bundle-size.mjs. */
export function measureBoardFirstLoad(outDir: string): { files: BundleFile[]; bytes: number; gzip: number };
