;; The matrix product C = L · R in 128-bit SIMD, two float64 lanes per instruction.
;; Assembled by scripts/wasm.ts (npm run wasm) into matmulWasm.ts; simdMatmul.ts lays the operands
;; out and calls it.
;;
;; The caller pads L's rows and R's columns with zeros to multiples of four (m4, n4) and says where
;; each element is, in bytes, for i and j multiples of four and q, s in 0..3:
;;   L(i + q, p) at l + i·lLine + p·lStep + 8q: rows i..i+3 of column p are four consecutive doubles;
;;   R(p, j + s) at r + j·rLine + p·rStep + 8s: columns j..j+3 of row p are four consecutive doubles.
;; Panels of four lines ([k][4]: line 8·k bytes, step 32) hold either; so does L stored by columns
;; (line 8, step 8·m4) and R stored by rows (line 8, step 8·n4), which the caller copies in whole.
;; C (m4 × n4) is written row-major.
;;
;; A 4 × 4 tile of C is eight two-lane accumulators. Each step over p loads one row of R's panel
;; (two vectors) and splats L's four values, so six loads feed sixteen multiply-adds. The steps run
;; in blocks of kc rows of R, each block over every tile, so that a block of R stays in cache while
;; every row panel of L passes over it; a tile's sums are stored in C between blocks and loaded
;; again. Each element of C is summed over p in ascending order, a multiply and an add rounded
;; separately (no fused multiply-add): the same bits as the scalar kernels in matmul.ts.
(module
  (memory (export "memory") 1)
  (func (export "product")
    (param $l i32) (param $r i32) (param $c i32) ;; byte offsets of L, R and C
    (param $m4 i32) (param $k i32) (param $n4 i32)
    (param $lLine i32) (param $lStep i32) (param $rLine i32) (param $rStep i32)
    (param $kc i32) ;; rows of R per block
    (local $i i32) (local $j i32) (local $p i32) (local $kb i32) (local $steps i32)
    (local $lp i32) (local $rp i32) (local $cp i32) (local $rowBytes i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $r0 v128) (local $r1 v128) (local $a v128)
    (local.set $rowBytes (i32.shl (local.get $n4) (i32.const 3)))
    ;; A block of no rows would never end.
    (if (i32.eqz (local.get $kc)) (then (local.set $kc (i32.const 1))))
    ;; At least one block, so that an empty inner dimension (k = 0) still writes C's zeros.
    (loop $blocks
      (local.set $steps (i32.sub (local.get $k) (local.get $kb)))
      (if (i32.gt_u (local.get $steps) (local.get $kc)) (then (local.set $steps (local.get $kc))))
      (local.set $i (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m4)))
        (local.set $j (i32.const 0))
        (block $columnsDone (loop $columns
          (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $n4)))
          (local.set $lp (i32.add (local.get $l) (i32.add
            (i32.mul (local.get $i) (local.get $lLine)) (i32.mul (local.get $kb) (local.get $lStep)))))
          (local.set $rp (i32.add (local.get $r) (i32.add
            (i32.mul (local.get $j) (local.get $rLine)) (i32.mul (local.get $kb) (local.get $rStep)))))
          (local.set $cp (i32.add (local.get $c)
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n4)) (local.get $j)) (i32.const 3))))
          (if (i32.eqz (local.get $kb))
            (then
              (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
              (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
              (local.set $c20 (v128.const i64x2 0 0)) (local.set $c21 (v128.const i64x2 0 0))
              (local.set $c30 (v128.const i64x2 0 0)) (local.set $c31 (v128.const i64x2 0 0)))
            (else
              (local.set $c00 (v128.load (local.get $cp))) (local.set $c01 (v128.load offset=16 (local.get $cp)))
              (local.set $c10 (v128.load (i32.add (local.get $cp) (local.get $rowBytes))))
              (local.set $c11 (v128.load offset=16 (i32.add (local.get $cp) (local.get $rowBytes))))
              (local.set $c20 (v128.load (i32.add (local.get $cp) (i32.shl (local.get $rowBytes) (i32.const 1)))))
              (local.set $c21 (v128.load offset=16 (i32.add (local.get $cp) (i32.shl (local.get $rowBytes) (i32.const 1)))))
              (local.set $c30 (v128.load (i32.add (local.get $cp) (i32.mul (local.get $rowBytes) (i32.const 3)))))
              (local.set $c31 (v128.load offset=16 (i32.add (local.get $cp) (i32.mul (local.get $rowBytes) (i32.const 3)))))))
          (local.set $p (local.get $steps))
          (block $stepsDone (loop $step
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
            (local.set $lp (i32.add (local.get $lp) (local.get $lStep)))
            (local.set $rp (i32.add (local.get $rp) (local.get $rStep)))
            (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (br $step)))
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
        (br $rows)))
      (local.set $kb (i32.add (local.get $kb) (local.get $kc)))
      (br_if $blocks (i32.lt_u (local.get $kb) (local.get $k))))))
