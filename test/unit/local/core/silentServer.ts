/** Stands in for a server that never answers: prints a line and waits (the timeout test's `chroma`). */
console.log('warming up, please wait');
setInterval(() => undefined, 1000);
