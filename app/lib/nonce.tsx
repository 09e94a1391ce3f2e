// The per-response CSP nonce, handed from entry.server to the components that
// render inline scripts. In the browser it is empty: scripts are already there.
import { createContext, useContext } from "react";

const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
