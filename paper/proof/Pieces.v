(** * Theorem 2: finitely many breakpoints on a bounded interval, affine between

    From the key lemma of theorem 1, every program is affine on a small
    interval on each side of every point; a compactness argument (Cousin's
    lemma, proved here from the completeness of the reals) turns these
    local pieces into finitely many on any bounded interval. *)

From Coq Require Import Reals Lra List Classical.
From Coquelicot Require Import Coquelicot.
From Infnum Require Import Syntax OneSided.
Import ListNotations.
Open Scope R_scope.

(** ** Cousin's lemma *)

(** A property of intervals that holds on every small interval around each
    point and glues at an inner point holds on every bounded interval. *)
Lemma cousin (P : R -> R -> Prop) :
  (forall c t d, c <= t <= d -> P c t -> P t d -> P c d) ->
  (forall x, exists r, 0 < r /\ forall c d, x - r < c -> c <= d -> d < x + r -> P c d) ->
  forall a b, a <= b -> P a b.
Proof.
  intros Hglue Hloc a b Hab.
  set (E := fun y => a <= y <= b /\ P a y).
  assert (HaE : E a).
  { split; [lra|]. destruct (Hloc a) as [r [Hr H]]; apply H; lra. }
  assert (Hbd : bound E) by (exists b; intros y [Hy _]; lra).
  destruct (completeness E Hbd (ex_intro _ a HaE)) as [s [Hub Hlub]].
  assert (Has : a <= s) by (apply Hub; auto).
  assert (Hsb : s <= b) by (apply Hlub; intros y [Hy _]; lra).
  destruct (Hloc s) as [r [Hr Hs]].
  (* some y in E lies in (s − r, s] *)
  assert (Hy : exists y, E y /\ s - r < y).
  { apply NNPP; intros Hno.
    assert (Hub' : is_upper_bound E (s - r)).
    { intros y Ey; destruct (Rle_or_lt y (s - r)); auto.
      exfalso; apply Hno; exists y; auto. }
    specialize (Hlub _ Hub'); lra. }
  destruct Hy as [y [[Hy1 Hy2] Hy3]].
  assert (Hys : y <= s) by (apply Hub; split; auto).
  set (t := Rmin (s + r / 2) b).
  assert (Ht1 : y <= t) by (unfold t, Rmin; destruct (Rle_dec _ _); lra).
  assert (Ht2 : t < s + r) by (unfold t, Rmin; destruct (Rle_dec _ _); lra).
  assert (HPt : P a t) by (apply (Hglue a y t); [lra | auto | apply Hs; lra]).
  assert (Hts : t <= s) by (apply Hub; split; [unfold t, Rmin; destruct (Rle_dec _ _); lra | auto]).
  unfold t, Rmin in HPt, Hts; destruct (Rle_dec (s + r / 2) b); [lra | auto].
Qed.

(** ** Piecewise affine functions *)

Definition affine_on (f : R -> R) (c d : R) : Prop :=
  exists alpha beta, forall x, c < x < d -> f x = alpha * x + beta.

(** [f] is affine on every open subinterval of [(a, b)] that contains no
    point of the finite list [B] (its breakpoints). *)
Definition pw_affine (f : R -> R) (a b : R) (B : list R) : Prop :=
  forall c d, a <= c -> d <= b -> (forall t, In t B -> ~ (c < t < d)) -> affine_on f c d.

Lemma pw_affine_glue f c t d B1 B2 :
  pw_affine f c t B1 -> pw_affine f t d B2 -> pw_affine f c d (t :: B1 ++ B2).
Proof.
  intros H1 H2 c' d' Hc Hd HB.
  assert (Ht : ~ (c' < t < d')) by (apply HB; left; auto).
  destruct (Rle_or_lt d' t) as [Hdt|Htd].
  - apply H1; auto; intros u Hu; apply HB; right; apply in_or_app; auto.
  - destruct (Rle_or_lt t c') as [Htc|Hct].
    + apply H2; auto; intros u Hu; apply HB; right; apply in_or_app; auto.
    + destruct (Rle_or_lt d' c') as [Hdc|Hcd].
      * exists 0, 0; intros x Hx; lra.
      * exfalso; apply Ht; lra.
Qed.

(** Near every point, a program is affine on each side. *)
Lemma pw_affine_local cv p x :
  exists r, 0 < r /\ forall c d, x - r < c -> d < x + r -> pw_affine (evalR cv p) c d [x].
Proof.
  destruct (right_germ cv p x) as [d1 [Hd1 H1]], (left_germ cv p x) as [d2 [Hd2 H2]].
  destruct (germ_min d1 d2 Hd1 Hd2) as [Hr Hmin].
  exists (Rmin d1 d2); split; auto; intros c d Hc Hd c' d' Hc' Hd' HB.
  assert (Hx : ~ (c' < x < d')) by (apply HB; left; auto).
  pose proof (Rmin_l d1 d2); pose proof (Rmin_r d1 d2).
  destruct (Rle_or_lt d' x) as [Hdx|Hxd].
  - exists (- inf (at_minus cv p x)), (st (at_minus cv p x) + inf (at_minus cv p x) * x).
    intros y Hy; replace y with (x - (x - y)) at 1 by ring; rewrite H2 by lra; ring.
  - destruct (Rle_or_lt x c') as [Hxc|Hcx].
    + exists (inf (at_plus cv p x)), (st (at_plus cv p x) - inf (at_plus cv p x) * x).
      intros y Hy; replace y with (x + (y - x)) at 1 by ring; rewrite H1 by lra; ring.
    + exfalso; apply Hx; lra.
Qed.

(** Theorem 2: on every bounded interval [[a, b]] a program has finitely
    many breakpoints (the list [B]) and is affine between them. *)
Theorem breakpoints_finite cv p a b :
  exists B, pw_affine (evalR cv p) a b B.
Proof.
  destruct (Rle_or_lt a b) as [Hab|Hba].
  - apply (cousin (fun c d => exists B, pw_affine (evalR cv p) c d B)); auto.
    + intros c t d Ht [B1 H1] [B2 H2]; exists (t :: B1 ++ B2); apply pw_affine_glue; auto.
    + intros x; destruct (pw_affine_local cv p x) as [r [Hr H]].
      exists r; split; auto; intros c d Hc Hcd Hd; exists [x]; apply H; auto.
  - exists []; intros c d Hc Hd _; exists 0, 0; intros x Hx; lra.
Qed.
