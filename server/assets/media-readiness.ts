import type { Media } from './media.js';
import type { ToolReport } from './media-tools.js';

/** One binary as `/api/ready` reports it. */
export type ToolReadiness = Pick<ToolReport, 'path' | 'source' | 'version' | 'release' | 'builtYear'>;

export type MediaReadiness =
  | { ffmpeg: ToolReadiness; ffprobe: ToolReadiness; fonts: { regular: string; cjk: string | null }; warnings: string[] }
  | { error: string };

/**
 * What `/api/ready` says about media: which ffmpeg and ffprobe run (path, where they came from:
 * env | path | bundled, version), the fonts, and the startup warnings; or why they cannot run.
 * The check ran before the server listened, so this is its remembered answer.
 */
export async function mediaReadiness(media: Media): Promise<MediaReadiness> {
  try {
    const r = await media.check();
    const tool = ({ path, source, version, release, builtYear }: ToolReport): ToolReadiness => ({ path, source, version, release, builtYear });
    return { ffmpeg: tool(r.ffmpeg), ffprobe: tool(r.ffprobe), fonts: { regular: media.fonts.regular, cjk: media.fonts.cjk }, warnings: r.warnings };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
