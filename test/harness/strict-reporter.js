// Fails the run when any test was skipped or left as todo (Jest only reports them), and prints the plain
// closing line CI reads: "N passed, N failed, N skipped".
class StrictReporter {
  onRunComplete(_contexts, results) {
    this.skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    console.log(`\nTests: ${results.numPassedTests} passed, ${failed} failed, ${this.skipped} skipped`);
  }

  getLastError() {
    if (this.skipped > 0)
      return new Error(`${this.skipped} test(s) were skipped or todo: no skipped tests allowed`);
    return undefined;
  }
}
module.exports = StrictReporter;
