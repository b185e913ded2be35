"""cmdai's evaluation and benchmark harness. It imports cmdai; cmdai never imports it."""
