/** Benchmarks, run on demand with bench/run. */
package org.kinora.bench;
