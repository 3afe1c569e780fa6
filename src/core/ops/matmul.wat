;; The matrix product C = L · R in 128-bit SIMD, two float64 lanes per instruction.
;; Assembled by scripts/wasm.ts (npm run wasm) into matmulWasm.ts; simdMatmul.ts packs the operands and calls it.
;;
;; Operands are packed in panels of four (the caller pads with zeros to a multiple of four):
;;   L (m4 × k) as m4/4 panels of [k][4]: rows i..i+3 of column p are four consecutive doubles;
;;   R (k × n4) as n4/4 panels of [k][4]: columns j..j+3 of row p are four consecutive doubles;
;;   C (m4 × n4) is written row-major.
;; A 4 × 4 tile of C is eight two-lane accumulators. Each step over p loads one row of R's panel
;; (two vectors) and splats L's four values, so six loads feed sixteen multiply-adds. Each element
;; of C is summed over p in ascending order, a multiply and an add rounded separately (no fused
;; multiply-add): the same bits as the scalar kernels in matmul.ts.
(module
  (memory (export "memory") 1)
  (func (export "product")
    (param $l i32) (param $r i32) (param $c i32) ;; byte offsets of L's panels, R's panels and C
    (param $m4 i32) (param $k i32) (param $n4 i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $lp i32) (local $rp i32) (local $cp i32) (local $rowBytes i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $r0 v128) (local $r1 v128) (local $a v128)
    (local.set $rowBytes (i32.shl (local.get $n4) (i32.const 3)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m4)))
      (local.set $j (i32.const 0))
      (block $columnsDone (loop $columns
        (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $n4)))
        ;; Panel i/4 of L and panel j/4 of R each start 4·k doubles after the one before.
        (local.set $lp (i32.add (local.get $l) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 3))))
        (local.set $rp (i32.add (local.get $r) (i32.shl (i32.mul (local.get $j) (local.get $k)) (i32.const 3))))
        (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
        (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
        (local.set $c20 (v128.const i64x2 0 0)) (local.set $c21 (v128.const i64x2 0 0))
        (local.set $c30 (v128.const i64x2 0 0)) (local.set $c31 (v128.const i64x2 0 0))
        (local.set $p (local.get $k))
        (block $stepsDone (loop $steps
          (br_if $stepsDone (i32.eqz (local.get $p)))
          (local.set $r0 (v128.load (local.get $rp)))
          (local.set $r1 (v128.load offset=16 (local.get $rp)))
          (local.set $a (v128.load64_splat (local.get $lp)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $r0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $r1))))
          (local.set $a (v128.load64_splat offset=8 (local.get $lp)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $r0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $r1))))
          (local.set $a (v128.load64_splat offset=16 (local.get $lp)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $r0))))
          (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $r1))))
          (local.set $a (v128.load64_splat offset=24 (local.get $lp)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $r0))))
          (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $r1))))
          (local.set $lp (i32.add (local.get $lp) (i32.const 32)))
          (local.set $rp (i32.add (local.get $rp) (i32.const 32)))
          (local.set $p (i32.sub (local.get $p) (i32.const 1)))
          (br $steps)))
        (local.set $cp (i32.add (local.get $c)
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n4)) (local.get $j)) (i32.const 3))))
        (v128.store (local.get $cp) (local.get $c00)) (v128.store offset=16 (local.get $cp) (local.get $c01))
        (local.set $cp (i32.add (local.get $cp) (local.get $rowBytes)))
        (v128.store (local.get $cp) (local.get $c10)) (v128.store offset=16 (local.get $cp) (local.get $c11))
        (local.set $cp (i32.add (local.get $cp) (local.get $rowBytes)))
        (v128.store (local.get $cp) (local.get $c20)) (v128.store offset=16 (local.get $cp) (local.get $c21))
        (local.set $cp (i32.add (local.get $cp) (local.get $rowBytes)))
        (v128.store (local.get $cp) (local.get $c30)) (v128.store offset=16 (local.get $cp) (local.get $c31))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $columns)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows)))))
