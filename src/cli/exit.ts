// How a `payrail` command ends: a message and exit code 1, or a graceful close on a signal.
/** Closes gracefully on Ctrl-C or SIGTERM, then exits. */
export function stopOnSignal(close: () => Promise<void>) {
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Ends the command with the message on stderr and exit code 1. */
export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
