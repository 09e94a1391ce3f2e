// The shapes app/models/tags.server.ts returns, for components (ADR 013).
import type { TagCategory } from "~/schemas/tags.ts";

export interface ManagedTag {
  id: string;
  name: string;
  color: string;
  category: TagCategory;
  /** Trades carrying the tag. */
  uses: number;
}
