import * as React from 'react';

import type { ISignal } from '@lumino/signaling';

/** Re-render the calling component each time `signal` fires (a model outside React). */
export function useSignal(signal: ISignal<any, any>): void {
  const [, setTick] = React.useState(0);
  React.useEffect(() => {
    const changed = (): void => setTick(tick => tick + 1);
    signal.connect(changed);
    return () => {
      signal.disconnect(changed);
    };
  }, [signal]);
}
