/**
 * `1 receipt`, `3 receipts`: a count with its noun, so messages read naturally at any count.
 * @param plural - the plural form. @default `${singular}s`
 */
export function countNoun(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
