# gradlens: fn=softmax_dscores_probe
# exercises: softmax residual built by residual[np.arange(N), y] -= 1 on a copy
 import numpy as n