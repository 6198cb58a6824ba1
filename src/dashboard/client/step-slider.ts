/**
 * A timeline control: first / previous / slider / next / last, used by the EGS replay and the
 * logic step log. Element ids are `<prefix>-first`, `-prev`, `-step`, `-next`, `-last`.
 */
import { element } from './api-client.js';

/** A step slider over 0…max, calling back with the step shown. */
export class StepSlider {
  private readonly range: HTMLInputElement;

  /**
   * Builds the controls into `container`.
   * @param labels - the first and last buttons' text (e.g. `« facts`, `end »`)
   * @param onChange - called with the new step whenever the user moves
   */
  constructor(
    container: HTMLElement,
    prefix: string,
    labels: { first: string; last: string },
    private readonly onChange: (step: number) => void,
  ) {
    this.range = element('input', undefined, {
      id: `${prefix}-step`,
      type: 'range',
      min: '0',
      max: '0',
      value: '0',
      'aria-label': `${prefix} step`,
    });
    this.range.addEventListener('input', () => this.onChange(this.value));
    const button = (id: string, text: string, label: string, to: () => number): HTMLButtonElement => {
      const b = element('button', text, { id: `${prefix}-${id}`, type: 'button', 'aria-label': label });
      b.addEventListener('click', () => this.set(to()));
      return b;
    };
    container.replaceChildren(
      button('first', labels.first, 'first step', () => 0),
      button('prev', '◀', 'previous step', () => this.value - 1),
      this.range,
      button('next', '▶', 'next step', () => this.value + 1),
      button('last', labels.last, 'last step', () => this.max),
    );
  }

  /** The step shown. */
  get value(): number {
    return this.range.valueAsNumber;
  }

  /** The last step. */
  get max(): number {
    return Number(this.range.max);
  }

  /** Sets the range to 0…`max` and shows `value`. */
  reset(max: number, value: number): void {
    this.range.max = String(max);
    this.set(value);
  }

  /** Shows step `k` (clamped to the range) and calls back. */
  set(k: number): void {
    this.range.value = String(Math.max(0, Math.min(this.max, k)));
    this.onChange(this.value);
  }
}
