// fontkit ships no type declarations; we only call create() and describe the parts we use in fonts.ts.
declare module 'fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): unknown;
}
