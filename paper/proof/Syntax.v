(** * The piecewise-linear fragment of infnum's language

    A deep embedding of the programs built from the variable, real
    constants, [+], [-], scaling by a real, [abs], [max], [min], [relu],
    [step], [sign], [floor], [ceil] and [round] (everything but products of
    non-constants), with two interpretations:
    - [evalR]: over the reals;
    - [evalL]: over first-order Levi-Civita numbers [a + b ε], with the
      field's lexicographic order and, for every primitive, the rule that
      docs/semantics.md gives for the C library (lib/src/order.c and
      lib/include/infnum/raw_order.h).

    The conventions H(0), sign(0) and the tie rule of [round] are
    parameters ([conv]), as they are fields of the library's [lc_ctx]. *)

From Coq Require Import Reals Lra ZArith.
Open Scope R_scope.

(** ** Conventions *)

(** Tie rules of [round] at exact half-integers ([lc_round_tie]). *)
Inductive tie_rule := TieAway | TieEven | TieUp | TieDown.

(** [H(0)] ([ctx->h0]), [sign(0)] ([ctx->sign0]) and the tie rule
    ([ctx->round_tie]).  The library's defaults are [0], [0], [TieAway]. *)
Record conv := Conv { h0 : R; sign0 : R; tie : tie_rule }.

Definition default_conv := Conv 0 0 TieAway.

(** ** Syntax *)

Inductive prog :=
| Var
| Const (c : R)
| Add (p q : prog)
| Sub (p q : prog)
| Scale (s : R) (p : prog)
| Abs (p : prog)
| Max (p q : prog)
| Min (p q : prog)
| Relu (p : prog)
| Step (p : prog)
| Sign (p : prog)
| Floor (p : prog)
| Ceil (p : prog)
| Round (p : prog).

(** ** Integer parts *)

(** [zfloor x] is the greatest integer [<= x] (from the Archimedean
    [up x], the least integer [> x]). *)
Definition zfloor (x : R) : Z := (up x - 1)%Z.

(** [round (m + 1/2)] for an integer [m], by the tie rule
    ([_lc_round_tie] in raw_order.h). *)
Definition tie_value (t : tie_rule) (m : Z) : R :=
  match t with
  | TieAway => if Z_le_dec 0 m then IZR m + 1 else IZR m
  | TieEven => if Z.even m then IZR m else IZR m + 1
  | TieUp => IZR m + 1
  | TieDown => IZR m
  end.

(** ** Real primitives *)

(** The sign of a real, as a comparison with 0. *)
Definition cmpR (x : R) : comparison :=
  match total_order_T x 0 with
  | inleft (left _) => Lt
  | inleft (right _) => Eq
  | inright _ => Gt
  end.

(** step, sign from a comparison with 0 (both interpretations share them). *)
Definition step_of (cv : conv) (c : comparison) : R :=
  match c with Lt => 0 | Eq => h0 cv | Gt => 1 end.
Definition sign_of (cv : conv) (c : comparison) : R :=
  match c with Lt => -1 | Eq => sign0 cv | Gt => 1 end.

Definition floorR (x : R) : R := IZR (zfloor x).
Definition ceilR (x : R) : R := - IZR (zfloor (- x)).
Definition roundR (t : tie_rule) (x : R) : R :=
  let m := zfloor x in
  if Req_EM_T (x - IZR m) (1/2) then tie_value t m
  else if Rlt_dec (x - IZR m) (1/2) then IZR m else IZR m + 1.

(** abs, relu, max and min select by the sign of the argument (of the
    difference), as [order_select] does in lib/src/order.c. *)
Definition absR (x : R) : R := match cmpR x with Lt => - x | _ => x end.
Definition reluR (x : R) : R := match cmpR x with Gt => x | _ => 0 end.
Definition maxR (x y : R) : R := match cmpR (x - y) with Lt => y | _ => x end.
Definition minR (x y : R) : R := match cmpR (x - y) with Gt => y | _ => x end.

Fixpoint evalR (cv : conv) (p : prog) (x : R) : R :=
  match p with
  | Var => x
  | Const c => c
  | Add p q => evalR cv p x + evalR cv q x
  | Sub p q => evalR cv p x - evalR cv q x
  | Scale s p => s * evalR cv p x
  | Abs p => absR (evalR cv p x)
  | Max p q => maxR (evalR cv p x) (evalR cv q x)
  | Min p q => minR (evalR cv p x) (evalR cv q x)
  | Relu p => reluR (evalR cv p x)
  | Step p => step_of cv (cmpR (evalR cv p x))
  | Sign p => sign_of cv (cmpR (evalR cv p x))
  | Floor p => floorR (evalR cv p x)
  | Ceil p => ceilR (evalR cv p x)
  | Round p => roundR (tie cv) (evalR cv p x)
  end.

(** ** First-order Levi-Civita numbers [st + inf·ε] *)

Record lc := LC { st : R; inf : R }.

Definition lc_real (c : R) : lc := LC c 0.
Definition lc_add (x y : lc) : lc := LC (st x + st y) (inf x + inf y).
Definition lc_sub (x y : lc) : lc := LC (st x - st y) (inf x - inf y).
Definition lc_scale (s : R) (x : lc) : lc := LC (s * st x) (s * inf x).
Definition lc_opp (x : lc) : lc := LC (- st x) (- inf x).

(** The field's order: [x > 0] iff its leading coefficient is positive
    (lexicographic on [(st, inf)]); the exact zero is the only zero. *)
Definition cmpL (x : lc) : comparison :=
  match cmpR (st x) with
  | Eq => cmpR (inf x)
  | c => c
  end.

Definition absL (x : lc) : lc := match cmpL x with Lt => lc_opp x | _ => x end.
Definition reluL (x : lc) : lc := match cmpL x with Gt => x | _ => lc_real 0 end.
Definition maxL (x y : lc) : lc := match cmpL (lc_sub x y) with Lt => y | _ => x end.
Definition minL (x y : lc) : lc := match cmpL (lc_sub x y) with Gt => y | _ => x end.

(** floor, ceil, round of [x = s + δ] ([_lc_row_disc] in raw_order.h):
    the real function of [s] off a breakpoint; at one, the sign of [δ]
    picks the side; [δ = 0] exactly takes the convention.  The results are
    exact reals. *)
Definition floorL (x : lc) : lc :=
  let s := st x in
  if Req_EM_T s (IZR (zfloor s))
  then lc_real (if Rlt_dec (inf x) 0 then s - 1 else s)
  else lc_real (floorR s).

Definition ceilL (x : lc) : lc :=
  let s := st x in
  if Req_EM_T s (IZR (zfloor s))
  then lc_real (if Rlt_dec 0 (inf x) then s + 1 else s)
  else lc_real (ceilR s).

Definition roundL (t : tie_rule) (x : lc) : lc :=
  let s := st x in
  let m := zfloor s in
  if Req_EM_T (s - IZR m) (1/2)
  then lc_real (match cmpR (inf x) with
                | Gt => IZR m + 1 | Lt => IZR m | Eq => tie_value t m end)
  else lc_real (roundR t s).

Fixpoint evalL (cv : conv) (p : prog) (x : lc) : lc :=
  match p with
  | Var => x
  | Const c => lc_real c
  | Add p q => lc_add (evalL cv p x) (evalL cv q x)
  | Sub p q => lc_sub (evalL cv p x) (evalL cv q x)
  | Scale s p => lc_scale s (evalL cv p x)
  | Abs p => absL (evalL cv p x)
  | Max p q => maxL (evalL cv p x) (evalL cv q x)
  | Min p q => minL (evalL cv p x) (evalL cv q x)
  | Relu p => reluL (evalL cv p x)
  | Step p => lc_real (step_of cv (cmpL (evalL cv p x)))
  | Sign p => lc_real (sign_of cv (cmpL (evalL cv p x)))
  | Floor p => floorL (evalL cv p x)
  | Ceil p => ceilL (evalL cv p x)
  | Round p => roundL (tie cv) (evalL cv p x)
  end.

(** ** The decoding ([lc_ngrad_decode]) *)

(** [f(x + ε)] and [f(x − ε)]. *)
Definition at_plus (cv : conv) (p : prog) (x : R) : lc := evalL cv p (LC x 1).
Definition at_minus (cv : conv) (p : prog) (x : R) : lc := evalL cv p (LC x (-1)).

(** Point mass [J(x) = st f(x+ε) − st f(x−ε)] and regular part
    [r(x) = ε¹-coefficient of (f(x+ε) − f(x−ε))/2]. *)
Definition mass (cv : conv) (p : prog) (x : R) : R :=
  st (at_plus cv p x) - st (at_minus cv p x).
Definition regular (cv : conv) (p : prog) (x : R) : R :=
  (inf (at_plus cv p x) - inf (at_minus cv p x)) / 2.
