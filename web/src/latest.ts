import { useRef } from 'preact/hooks';

/**
 * Reads and changes on one screen: a list asked for before the latest change made there (something made, turned
 * off, asked for) is stale when it comes back, and must not replace what the screen now shows.
 */
export function useLatest() {
  const version = useRef(0);
  return {
    /** Starts a read; the function it answers says whether that read is still the latest when its answer comes. */
    begin: () => {
      const asked = ++version.current;
      return () => asked === version.current;
    },
    /** A change made on the screen: reads started before it are stale. */
    changed: () => {
      version.current += 1;
    },
  };
}
