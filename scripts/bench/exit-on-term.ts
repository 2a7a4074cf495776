/** Preloaded into a profiled child: exit normally on SIGTERM, so that Node writes its --cpu-prof profile. */
process.on("SIGTERM", () => process.exit(0));
