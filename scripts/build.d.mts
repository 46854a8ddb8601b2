/** A digest of every file the build reads. */
export function sourceHash(): string;
/** Whether dist/ was built from exactly the sources there are now. */
export function isBuildFresh(): boolean;
/** Builds dist/ (the gateway, the SDK's declarations, the run-time assets). */
export function build(): void;
/** Builds unless dist/ is fresh; says whether it built. */
export function buildIfStale(): boolean;
