/** Writes the built server into `outdir` (default apps/api/dist) and returns the folder. */
export function buildApi(outdir?: string): Promise<string>;
