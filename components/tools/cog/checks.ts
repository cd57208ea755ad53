import type { StackCheck } from "../../../src/catalog/checks";
import { servingChecks } from "../shared/serving-checks";

/* Checks across cog's params and the stack, run by `validate`: gpu: true needs GPU nodes; models.from needs that tool. */
export const cogChecks: StackCheck = servingChecks("cog", "false");
