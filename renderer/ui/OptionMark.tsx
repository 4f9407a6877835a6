import './option-mark.css';

/**
 * How an answer option is told apart on the projector, the console and the phones alike: a
 * colour, a shape and a letter, so a trainee who cannot tell the colours apart, or whose phone
 * hides the question text, still finds the option the screen points to.
 *
 * The colours are from the Okabe–Ito palette (told apart with the common colour-vision
 * deficiencies); the shapes are distinct in outline alone.
 */
const CODES = [
  { colour: '#E69F00', shape: 'triangle' },
  { colour: '#56B4E9', shape: 'diamond' },
  { colour: '#009E73', shape: 'circle' },
  { colour: '#F0E442', shape: 'square' },
  { colour: '#CC79A7', shape: 'star' },
  { colour: '#D55E00', shape: 'pentagon' },
  { colour: '#0072B2', shape: 'hexagon' },
  { colour: '#BBBBBB', shape: 'cross' },
] as const;

const PATHS: Record<(typeof CODES)[number]['shape'], string> = {
  triangle: 'M12 2.5 22.5 21H1.5Z',
  diamond: 'M12 1.5 22.5 12 12 22.5 1.5 12Z',
  circle: 'M12 2a10 10 0 1 0 0.01 0Z',
  square: 'M3 3h18v18H3Z',
  star: 'M12 1.5l3.1 6.6 7.2.9-5.3 5 1.4 7.1L12 17.6l-6.4 3.5L7 14l-5.3-5 7.2-.9Z',
  pentagon: 'M12 1.8 22.6 9.5 18.5 22H5.5L1.4 9.5Z',
  hexagon: 'M6.5 2.5h11L23 12l-5.5 9.5h-11L1 12Z',
  cross: 'M8.5 1.5h7v7h7v7h-7v7h-7v-7h-7v-7h7Z',
};

/** The option's letter: A for the first, B for the second … */
export const optionLetter = (index: number) => String.fromCharCode(65 + index);

/** The option's colour (bars in a chart take it too). */
export const optionColour = (index: number) => CODES[index % CODES.length].colour;

interface Props {
  index: number;
}

/**
 * The shape in the option's colour, then its letter. Hidden from screen readers: the option's
 * text is its name, and "triangle A" read before every option would be noise.
 */
export function OptionMark({ index }: Props) {
  const code = CODES[index % CODES.length];
  return (
    <span className="option-mark" aria-hidden="true" data-shape={code.shape}>
      <svg viewBox="0 0 24 24" focusable="false">
        <path d={PATHS[code.shape]} fill={code.colour} />
      </svg>
      <span className="option-letter">{optionLetter(index)}</span>
    </span>
  );
}
