"""Kernel start, first cell and trivial-cell round trips (3 kernels, 20 cells each).

    JUPYTER_PATH=<dir with kernels/taqtir> /usr/bin/python3 bench_kernel.py
"""

import statistics
import time

from jupyter_client.manager import start_new_kernel

for rep in range(3):
    t = time.time()
    km, kc = start_new_kernel(kernel_name="taqtir")
    start = time.time() - t
    t = time.time()
    kc.execute_interactive("1+1", timeout=60, output_hook=lambda m: None)
    first = time.time() - t
    ts = []
    for i in range(20):
        t = time.time()
        kc.execute_interactive("%d+1" % i, timeout=60, output_hook=lambda m: None)
        ts.append(time.time() - t)
    print(
        "start %.2f s  first cell %.0f ms  trivial cell median %.0f ms max %.0f ms"
        % (start, first * 1000, statistics.median(ts) * 1000, max(ts) * 1000)
    )
    kc.stop_channels()
    km.shutdown_kernel()
