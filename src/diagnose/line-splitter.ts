/**
 * Splits text that arrives in chunks into lines with bounded memory: `push`
 * takes any piece of text (a 64 KiB read, a single byte), calls `onLine` for
 * each completed line and keeps only the unfinished tail. A line longer than
 * `maxLine` characters is cut there and the rest of it is skipped until its
 * end, so a log without newlines (a minified blob, a binary file) never grows
 * the buffer. Line ends are "\n", "\r\n" and a lone "\r" (progress bars
 * redraw with "\r"), counted the way editors count them. Pure and synchronous.
 */

export interface LineSplitter {
  push(text: string): void;
  /** Flushes the last line when the input does not end with a line break. */
  end(): void;
}

export function createLineSplitter(onLine: (line: string) => void, maxLine: number): LineSplitter {
  let tail = "";
  /** The current line already hit maxLine: drop the rest of it. */
  let skipping = false;
  /** The previous piece ended with "\r": a "\n" first in the next one closes nothing new. */
  let afterCr = false;

  const emit = (): void => {
    onLine(tail);
    tail = "";
    skipping = false;
  };
  const append = (piece: string): void => {
    if (skipping || piece.length === 0) return;
    const room = maxLine - tail.length;
    if (piece.length >= room) {
      tail += piece.slice(0, room);
      skipping = true;
    } else {
      tail += piece;
    }
  };

  return {
    push(text) {
      let start = 0;
      if (afterCr && text.startsWith("\n")) start = 1;
      afterCr = false;
      // indexOf finds the breaks far faster than a loop over every character
      let nextLf = text.indexOf("\n", start);
      let nextCr = text.indexOf("\r", start);
      while (nextLf !== -1 || nextCr !== -1) {
        const isCr = nextCr !== -1 && (nextLf === -1 || nextCr < nextLf);
        const at = isCr ? nextCr : nextLf;
        if (tail.length === 0 && !skipping && at - start <= maxLine) onLine(text.slice(start, at));
        else {
          append(text.slice(start, at));
          emit();
        }
        start = at + 1;
        if (isCr) {
          if (start === text.length) afterCr = true;
          else if (text.charCodeAt(start) === 10) start += 1;
          nextCr = text.indexOf("\r", start);
        }
        if (nextLf !== -1 && nextLf < start) nextLf = text.indexOf("\n", start);
      }
      append(text.slice(start));
    },
    end() {
      if (tail.length > 0 || skipping) emit();
    },
  };
}
