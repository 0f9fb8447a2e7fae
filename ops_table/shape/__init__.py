"""Shape ops: views (pure geometry over the input's storage), stacking, tiling, flips and copies."""
