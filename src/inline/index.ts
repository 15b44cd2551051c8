/** Inline mode (`@bot nickname`, `@bot <room link>`): the public API of the slice. */
export { createInlineComposer, type InlineComposerDeps, type InlineOptions } from './composer';
