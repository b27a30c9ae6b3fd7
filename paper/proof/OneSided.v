(** * Theorem 1: the one-sided limits and derivatives are read off f(x ± ε)

    The key lemma ([evalL_germ]): for every program [p] and every
    first-order input [X = a + bε], there is [δ > 0] with
    [f(a + b h) = st f(X) + inf f(X) · h] for all [0 < h < δ]: the
    Levi-Civita value is the exact germ of [f] along the ray [a + b h].
    With [X = x ± ε] this gives the one-sided limits and derivatives. *)

From Coq Require Import Reals Lra Lia ZArith.
From Coquelicot Require Import Coquelicot.
From Infnum Require Import Syntax.
Open Scope R_scope.

(** ** Real facts *)

Lemma zfloor_bounds x : IZR (zfloor x) <= x < IZR (zfloor x) + 1.
Proof.
  unfold zfloor; rewrite minus_IZR; destruct (archimed x); simpl; lra.
Qed.

Lemma zfloor_spec x n : IZR n <= x < IZR n + 1 -> zfloor x = n.
Proof.
  intros H; unfold zfloor.
  rewrite <- (tech_up x (n + 1)); [lia | rewrite plus_IZR; simpl; lra |
                                   rewrite plus_IZR; simpl; lra].
Qed.

(** The real primitives are the usual functions. *)
Lemma absR_Rabs x : absR x = Rabs x.
Proof.
  unfold absR, cmpR; destruct (total_order_T x 0) as [[H|H]|H].
  - rewrite Rabs_left; lra.
  - rewrite H, Rabs_R0; auto.
  - rewrite Rabs_pos_eq; lra.
Qed.

Lemma maxR_Rmax x y : maxR x y = Rmax x y.
Proof.
  unfold maxR, cmpR, Rmax; destruct (total_order_T (x - y) 0) as [[H|H]|H];
    destruct (Rle_dec x y); lra.
Qed.

Lemma minR_Rmin x y : minR x y = Rmin x y.
Proof.
  unfold minR, cmpR, Rmin; destruct (total_order_T (x - y) 0) as [[H|H]|H];
    destruct (Rle_dec x y); lra.
Qed.

Lemma reluR_Rmax x : reluR x = Rmax x 0.
Proof. unfold reluR, cmpR, Rmax; destruct (total_order_T x 0) as [[H|H]|H]; destruct (Rle_dec x 0); lra. Qed.

(** [floorR x] is the greatest integer [<= x], [ceilR x] the least [>= x],
    [roundR t x] an integer nearest to [x]. *)
Lemma floorR_greatest x n : IZR n <= x -> IZR n <= floorR x <= x.
Proof.
  intros H; unfold floorR; pose proof (zfloor_bounds x); split; [|lra].
  apply IZR_le; assert (IZR n < IZR (zfloor x) + 1) by lra.
  rewrite <- plus_IZR in H1; apply lt_IZR in H1; lia.
Qed.

Lemma ceilR_least x n : x <= IZR n -> x <= ceilR x <= IZR n.
Proof.
  intros H; unfold ceilR; pose proof (floorR_greatest (- x) (- n)) as G.
  rewrite opp_IZR in G; unfold floorR in G; pose proof (zfloor_bounds (- x)); lra.
Qed.

(** A linear term [b h] is as small as we like for small [h > 0]. *)
Lemma lin_small b r : 0 < r ->
  exists d, 0 < d /\ forall h, 0 < h < d -> Rabs (b * h) < r.
Proof.
  intros Hr; exists (r / (Rabs b + 1)); split.
  - apply Rdiv_lt_0_compat; [lra | pose proof (Rabs_pos b); lra].
  - intros h [H0 H1]; rewrite Rabs_mult, (Rabs_pos_eq h) by lra.
    pose proof (Rabs_pos b).
    apply Rmult_lt_compat_l with (r := Rabs b + 1) in H1; [|lra].
    unfold Rdiv in H1; rewrite <- Rmult_assoc, (Rmult_comm _ r), Rmult_assoc,
      Rinv_r, Rmult_1_r in H1 by lra.
    nra.
Qed.

Lemma cmpR_lt x : x < 0 -> cmpR x = Lt.
Proof. unfold cmpR; destruct (total_order_T x 0) as [[]|]; auto; lra. Qed.
Lemma cmpR_eq x : x = 0 -> cmpR x = Eq.
Proof. unfold cmpR; destruct (total_order_T x 0) as [[]|]; auto; lra. Qed.
Lemma cmpR_gt x : 0 < x -> cmpR x = Gt.
Proof. unfold cmpR; destruct (total_order_T x 0) as [[]|]; auto; lra. Qed.

(** ** The order along a ray *)

(** The sign of [a + b h] for small [h > 0] is the field's sign of
    [a + bε]. *)
Lemma cmp_germ (X : lc) :
  exists d, 0 < d /\ forall h, 0 < h < d -> cmpR (st X + inf X * h) = cmpL X.
Proof.
  destruct X as [a b]; unfold cmpL; simpl.
  destruct (total_order_T a 0) as [[Ha|Ha]|Ha].
  - destruct (lin_small b (- a)) as [d [Hd H]]; [lra|].
    exists d; split; auto; intros h Hh; specialize (H h Hh).
    rewrite (cmpR_lt a) by lra; apply cmpR_lt.
    pose proof (Rle_abs (b * h)); lra.
  - subst a; exists 1; split; [lra|]; intros h Hh; rewrite (cmpR_eq 0) by lra.
    destruct (total_order_T b 0) as [[Hb|Hb]|Hb].
    + rewrite !cmpR_lt; auto; nra.
    + subst; rewrite !cmpR_eq; auto; lra.
    + rewrite !cmpR_gt; auto; nra.
  - destruct (lin_small b a) as [d [Hd H]]; [lra|].
    exists d; split; auto; intros h Hh; specialize (H h Hh).
    rewrite (cmpR_gt a) by lra; apply cmpR_gt.
    pose proof (Rle_abs (- (b * h))); rewrite Rabs_Ropp in H0; lra.
Qed.

(** ** Germs *)

(** [g] coincides with [h ↦ st X + inf X · h] on some [(0, δ)]. *)
Definition germ (g : R -> R) (X : lc) : Prop :=
  exists d, 0 < d /\ forall h, 0 < h < d -> g h = st X + inf X * h.

Lemma germ_min d1 d2 : 0 < d1 -> 0 < d2 ->
  0 < Rmin d1 d2 /\ forall h, 0 < h < Rmin d1 d2 -> 0 < h < d1 /\ 0 < h < d2.
Proof.
  intros; split; [apply Rmin_glb_lt; auto|].
  intros h Hh; pose proof (Rmin_l d1 d2); pose proof (Rmin_r d1 d2); lra.
Qed.

(** A unary primitive maps germs to germs if it does so on rays. *)
Definition local1 (u : R -> R) (U : lc -> lc) : Prop :=
  forall X, germ (fun h => u (st X + inf X * h)) (U X).

Lemma germ_unary u U g X : local1 u U -> germ g X -> germ (fun h => u (g h)) (U X).
Proof.
  intros HU [d1 [Hd1 H1]]; destruct (HU X) as [d2 [Hd2 H2]].
  destruct (germ_min d1 d2 Hd1 Hd2) as [Hd H].
  exists (Rmin d1 d2); split; auto; intros h Hh; destruct (H h Hh).
  rewrite H1 by auto; apply H2; auto.
Qed.

(** Primitives that only look at the sign of their argument. *)
Lemma local_cmp (u : comparison -> R -> R) (U : comparison -> lc -> lc) :
  (forall c X h, u c (st X + inf X * h) = st (U c X) + inf (U c X) * h) ->
  local1 (fun x => u (cmpR x) x) (fun X => U (cmpL X) X).
Proof.
  intros Hu X; destruct (cmp_germ X) as [d [Hd H]]; exists d; split; auto.
  intros h Hh; rewrite H by auto; apply Hu.
Qed.

Lemma local_abs : local1 absR absL.
Proof.
  apply (local_cmp (fun c x => match c with Lt => - x | _ => x end)
                   (fun c X => match c with Lt => lc_opp X | _ => X end)).
  intros [] X h; simpl; ring.
Qed.

Lemma local_relu : local1 reluR reluL.
Proof.
  apply (local_cmp (fun c x => match c with Gt => x | _ => 0 end)
                   (fun c X => match c with Gt => X | _ => lc_real 0 end)).
  intros [] X h; simpl; ring.
Qed.

Lemma local_step cv : local1 (fun x => step_of cv (cmpR x)) (fun X => lc_real (step_of cv (cmpL X))).
Proof.
  apply (local_cmp (fun c _ => step_of cv c) (fun c _ => lc_real (step_of cv c))).
  intros c X h; simpl; ring.
Qed.

Lemma local_sign cv : local1 (fun x => sign_of cv (cmpR x)) (fun X => lc_real (sign_of cv (cmpL X))).
Proof.
  apply (local_cmp (fun c _ => sign_of cv c) (fun c _ => lc_real (sign_of cv c))).
  intros c X h; simpl; ring.
Qed.

(** An exact real result [v] that [u] keeps near the ray. *)
Lemma germ_const (u : R -> R) a b v (P : R -> Prop) :
  (forall y, P y -> u y = v) ->
  (exists d, 0 < d /\ forall h, 0 < h < d -> P (a + b * h)) ->
  germ (fun h => u (a + b * h)) (lc_real v).
Proof.
  intros Hu [d [Hd H]]; exists d; split; auto; intros h Hh; simpl.
  rewrite Hu by auto; ring.
Qed.

(** [a + b h] stays in an open interval around [a]. *)
Lemma ray_in a b lo hi : lo < a < hi ->
  exists d, 0 < d /\ forall h, 0 < h < d -> lo < a + b * h < hi.
Proof.
  intros Ha; destruct (lin_small b (Rmin (a - lo) (hi - a))) as [d [Hd H]].
  { apply Rmin_glb_lt; lra. }
  exists d; split; auto; intros h Hh; specialize (H h Hh).
  pose proof (Rmin_l (a - lo) (hi - a)); pose proof (Rmin_r (a - lo) (hi - a)).
  pose proof (Rle_abs (b * h)); pose proof (Rle_abs (- (b * h))).
  rewrite Rabs_Ropp in *; lra.
Qed.

(** [a + b h] with [b > 0] ([b < 0]) stays in [(a, a + r)] ([(a − r, a)]). *)
Lemma ray_right a b r : 0 < b -> 0 < r ->
  exists d, 0 < d /\ forall h, 0 < h < d -> a < a + b * h < a + r.
Proof.
  intros Hb Hr; destruct (lin_small b r Hr) as [d [Hd H]].
  exists d; split; auto; intros h Hh; specialize (H h Hh).
  rewrite Rabs_pos_eq in H by nra; nra.
Qed.

Lemma ray_left a b r : b < 0 -> 0 < r ->
  exists d, 0 < d /\ forall h, 0 < h < d -> a - r < a + b * h < a.
Proof.
  intros Hb Hr; destruct (lin_small b r Hr) as [d [Hd H]].
  exists d; split; auto; intros h Hh; specialize (H h Hh).
  rewrite Rabs_left in H by nra; nra.
Qed.

Lemma ray_fixed a b : b = 0 -> exists d, 0 < d /\ forall h, 0 < h < d -> a + b * h = a.
Proof. intros ->; exists 1; split; [lra|]; intros; ring. Qed.

Lemma floor_on n y : IZR n <= y < IZR n + 1 -> floorR y = IZR n.
Proof. intros H; unfold floorR; rewrite (zfloor_spec y n H); auto. Qed.

Lemma local_floor : local1 floorR floorL.
Proof.
  intros [s b]; unfold floorL; simpl.
  destruct (Req_EM_T s (IZR (zfloor s))) as [Hs|Hs].
  - destruct (Rlt_dec b 0) as [Hb|Hb].
    + apply germ_const with (P := fun y => s - 1 < y < s).
      { intros y Hy; replace (s - 1) with (IZR (zfloor s - 1)) by
          (rewrite minus_IZR; simpl; lra).
        apply floor_on; rewrite minus_IZR; simpl; lra. }
      destruct (ray_left s b 1 Hb) as [d [Hd H]]; [lra|]; eauto.
    + destruct (Req_EM_T b 0) as [Hb0|Hb0].
      * apply germ_const with (P := fun y => y = s).
        { intros y ->; unfold floorR; lra. }
        apply ray_fixed; auto.
      * apply germ_const with (P := fun y => s < y < s + 1).
        { intros y Hy; rewrite (floor_on (zfloor s) y); lra. }
        apply ray_right; lra.
  - pose proof (zfloor_bounds s).
    apply germ_const with (P := fun y => IZR (zfloor s) < y < IZR (zfloor s) + 1).
    { intros y Hy; unfold floorR at 2; apply floor_on; lra. }
    apply ray_in; lra.
Qed.

Lemma is_int_opp s : s = IZR (zfloor s) -> - s = IZR (zfloor (- s)).
Proof.
  intros Hs; rewrite (zfloor_spec (- s) (- zfloor s)); rewrite opp_IZR; lra.
Qed.

Lemma local_ceil : local1 ceilR ceilL.
Proof.
  intros [s b]; unfold ceilL; simpl.
  destruct (Req_EM_T s (IZR (zfloor s))) as [Hs|Hs].
  - pose proof (is_int_opp s Hs) as Hm.
    destruct (Rlt_dec 0 b) as [Hb|Hb].
    + apply germ_const with (P := fun y => s < y < s + 1).
      { intros y Hy; unfold ceilR; rewrite (zfloor_spec (- y) (zfloor (- s) - 1));
          rewrite ?minus_IZR; simpl; lra. }
      apply ray_right; lra.
    + destruct (Req_EM_T b 0) as [Hb0|Hb0].
      * apply germ_const with (P := fun y => y = s).
        { intros y ->; unfold ceilR; lra. }
        apply ray_fixed; auto.
      * apply germ_const with (P := fun y => s - 1 < y < s).
        { intros y Hy; unfold ceilR; rewrite (zfloor_spec (- y) (zfloor (- s))); lra. }
        apply ray_left; lra.
  - pose proof (zfloor_bounds s); pose proof (zfloor_bounds (- s)).
    assert (Hn : - s <> IZR (zfloor (- s))).
    { intros E; apply Hs; pose proof (is_int_opp (- s) E); rewrite Ropp_involutive in *; auto. }
    apply germ_const with (P := fun y => IZR (zfloor (- s)) < - y < IZR (zfloor (- s)) + 1).
    { intros y Hy; unfold ceilR; rewrite (zfloor_spec (- y) (zfloor (- s))); lra. }
    destruct (ray_in s b (- IZR (zfloor (- s)) - 1) (- IZR (zfloor (- s)))) as [d [Hd Hr]]; [lra|].
    exists d; split; auto; intros h Hh; specialize (Hr h Hh); lra.
Qed.

(** [round] is [n] on [(n − 1/2, n + 1/2)]. *)
Lemma round_on t n y : IZR n - 1/2 < y < IZR n + 1/2 -> roundR t y = IZR n.
Proof.
  intros Hy; unfold roundR.
  destruct (Rle_lt_dec (IZR n) y) as [Hle|Hlt].
  - rewrite (zfloor_spec y n) by lra.
    destruct (Req_EM_T (y - IZR n) (1/2)); [lra|].
    destruct (Rlt_dec (y - IZR n) (1/2)); [auto|lra].
  - rewrite (zfloor_spec y (n - 1)) by (rewrite minus_IZR; simpl; lra).
    rewrite minus_IZR; simpl.
    destruct (Req_EM_T (y - (IZR n - 1)) (1/2)); [lra|].
    destruct (Rlt_dec (y - (IZR n - 1)) (1/2)); [lra|ring].
Qed.

(** Off a tie, [round] is locally constant. *)
Lemma round_off_tie t s : s - IZR (zfloor s) <> 1/2 ->
  exists n, roundR t s = IZR n /\ IZR n - 1/2 < s < IZR n + 1/2.
Proof.
  intros Hs; pose proof (zfloor_bounds s).
  destruct (Rlt_dec (s - IZR (zfloor s)) (1/2)) as [H1|H1].
  - exists (zfloor s); split; [apply round_on|]; lra.
  - exists (zfloor s + 1)%Z; split; [apply round_on|]; rewrite ?plus_IZR; simpl; lra.
Qed.

Lemma tie_value_cases t m : tie_value t m = IZR m \/ tie_value t m = IZR m + 1.
Proof. destruct t; simpl; try destruct (Z_le_dec 0 m); try destruct (Z.even m); auto. Qed.

Lemma roundR_nearest t x : Rabs (roundR t x - x) <= 1/2.
Proof.
  destruct (Req_EM_T (x - IZR (zfloor x)) (1/2)) as [H|H].
  - unfold roundR; destruct (Req_EM_T _ _) as [_|]; [|contradiction].
    destruct (tie_value_cases t (zfloor x)) as [E|E]; rewrite E; apply Rabs_le; lra.
  - destruct (round_off_tie t x H) as [n [E Hn]]; rewrite E; apply Rabs_le; lra.
Qed.

Lemma local_round t : local1 (roundR t) (roundL t).
Proof.
  intros [s b]; unfold roundL; simpl.
  set (m := zfloor s); pose proof (zfloor_bounds s) as Hm; fold m in Hm.
  destruct (Req_EM_T (s - IZR m) (1/2)) as [Hs|Hs].
  - unfold cmpR; destruct (total_order_T b 0) as [[Hb|Hb]|Hb].
    + apply germ_const with (P := fun y => IZR m < y < s).
      { intros y Hy; apply round_on; lra. }
      destruct (ray_left s b (1/2) Hb) as [d [Hd H]]; [lra|].
      exists d; split; auto; intros h Hh; specialize (H h Hh); lra.
    + apply germ_const with (P := fun y => y = s).
      { intros y ->; unfold roundR; fold m.
        destruct (Req_EM_T (s - IZR m) (1/2)); [auto|lra]. }
      apply ray_fixed; auto.
    + apply germ_const with (P := fun y => s < y < IZR m + 1).
      { intros y Hy; rewrite <- plus_IZR; apply round_on; rewrite plus_IZR; simpl; lra. }
      destruct (ray_right s b (1/2) Hb) as [d [Hd H]]; [lra|].
      exists d; split; auto; intros h Hh; specialize (H h Hh); lra.
  - destruct (round_off_tie t s Hs) as [n [Hn Hsn]].
    apply germ_const with (P := fun y => IZR n - 1/2 < y < IZR n + 1/2).
    { intros y Hy; rewrite Hn; apply round_on; auto. }
    apply ray_in; auto.
Qed.

(** Binary selections (max, min) by the sign of the difference. *)
Lemma germ_select (sel : comparison -> R -> R -> R) (SEL : comparison -> lc -> lc -> lc) g1 g2 X Y :
  (forall c X Y h, sel c (st X + inf X * h) (st Y + inf Y * h) = st (SEL c X Y) + inf (SEL c X Y) * h) ->
  germ g1 X -> germ g2 Y ->
  germ (fun h => sel (cmpR (g1 h - g2 h)) (g1 h) (g2 h)) (SEL (cmpL (lc_sub X Y)) X Y).
Proof.
  intros Hs [d1 [Hd1 H1]] [d2 [Hd2 H2]].
  destruct (cmp_germ (lc_sub X Y)) as [d3 [Hd3 H3]].
  destruct (germ_min d1 d2 Hd1 Hd2) as [Hd12 H12].
  destruct (germ_min (Rmin d1 d2) d3 Hd12 Hd3) as [Hd H].
  exists (Rmin (Rmin d1 d2) d3); split; auto; intros h Hh.
  destruct (H h Hh) as [Ha Hb]; destruct (H12 h Ha) as [Hc Hd'].
  rewrite H1, H2 by auto.
  replace (st X + inf X * h - (st Y + inf Y * h)) with
    (st (lc_sub X Y) + inf (lc_sub X Y) * h) by (simpl; ring).
  rewrite H3 by auto; apply Hs.
Qed.

(** ** The key lemma *)

Theorem evalL_germ cv p X :
  germ (fun h => evalR cv p (st X + inf X * h)) (evalL cv p X).
Proof.
  induction p; simpl.
  - exists 1; split; [lra|]; auto.
  - exists 1; split; [lra|]; intros; simpl; ring.
  - destruct IHp1 as [d1 [Hd1 H1]], IHp2 as [d2 [Hd2 H2]].
    destruct (germ_min d1 d2 Hd1 Hd2) as [Hd H].
    exists (Rmin d1 d2); split; auto; intros h Hh; destruct (H h Hh).
    rewrite H1, H2 by auto; simpl; ring.
  - destruct IHp1 as [d1 [Hd1 H1]], IHp2 as [d2 [Hd2 H2]].
    destruct (germ_min d1 d2 Hd1 Hd2) as [Hd H].
    exists (Rmin d1 d2); split; auto; intros h Hh; destruct (H h Hh).
    rewrite H1, H2 by auto; simpl; ring.
  - destruct IHp as [d [Hd H]]; exists d; split; auto; intros h Hh.
    rewrite H by auto; simpl; ring.
  - apply (germ_unary _ _ _ _ local_abs IHp).
  - apply (germ_select (fun c x y => match c with Lt => y | _ => x end)
                       (fun c X Y => match c with Lt => Y | _ => X end)); auto.
    intros []; auto.
  - apply (germ_select (fun c x y => match c with Gt => y | _ => x end)
                       (fun c X Y => match c with Gt => Y | _ => X end)); auto.
    intros []; auto.
  - apply (germ_unary _ _ _ _ local_relu IHp).
  - apply (germ_unary _ _ _ _ (local_step cv) IHp).
  - apply (germ_unary _ _ _ _ (local_sign cv) IHp).
  - apply (germ_unary _ _ _ _ local_floor IHp).
  - apply (germ_unary _ _ _ _ local_ceil IHp).
  - apply (germ_unary _ _ _ _ (local_round (tie cv)) IHp).
Qed.

(** ** Theorem 1 *)

Lemma ballR x e y : ball x e y <-> Rabs (y - x) < e.
Proof. unfold ball; simpl; unfold AbsRing_ball, abs, minus, plus, opp; simpl; tauto. Qed.

(** A function affine on [(x, x + d)] ([(x − d, x)]) has the affine
    limit at [x] from the right (the left). *)
Lemma lim_affine (F : (R -> Prop) -> Prop) {FF : Filter F} (g : R -> R) x A B :
  F (fun y => g y = A + B * (y - x)) -> filter_le F (locally x) ->
  filterlim g F (locally A).
Proof.
  intros Hg HF; apply filterlim_locally; intros eps.
  destruct (lin_small B eps (cond_pos eps)) as [d [Hd H]].
  assert (Hl : locally x (fun y => Rabs (y - x) < d)).
  { exists (mkposreal d Hd); intros y Hy; apply ballR in Hy; auto. }
  apply (filter_imp (fun y => g y = A + B * (y - x) /\ Rabs (y - x) < d)).
  2: { apply filter_and; auto. }
  intros y [Hy1 Hy2]; apply ballR; rewrite Hy1.
  replace (A + B * (y - x) - A) with (B * (y - x)) by ring.
  destruct (Req_dec y x) as [->|Hne].
  - replace (B * (x - x)) with 0 by ring; rewrite Rabs_R0; apply cond_pos.
  - apply Rabs_def2 in Hy2.
    destruct (Rlt_or_le 0 (y - x)) as [Hp|Hp].
    + apply H; lra.
    + replace (B * (y - x)) with (- (B * (x - y))) by ring; rewrite Rabs_Ropp.
      apply H; split; [|lra].
      destruct (Rle_lt_or_eq_dec _ _ Hp) as [Hq|Hq]; [lra|].
      exfalso; apply Hne; lra.
Qed.

Section Decoding.
Variable cv : conv.
Variable p : prog.
Let f := evalR cv p.

(** [f(x + h) = st f(x+ε) + inf f(x+ε) · h] for small [h > 0]. *)
Theorem right_germ x : exists d, 0 < d /\ forall h, 0 < h < d ->
  f (x + h) = st (at_plus cv p x) + inf (at_plus cv p x) * h.
Proof.
  destruct (evalL_germ cv p (LC x 1)) as [d [Hd H]]; exists d; split; auto.
  intros h Hh; rewrite <- H by auto; unfold f; simpl; f_equal; ring.
Qed.

(** [f(x − h) = st f(x−ε) + inf f(x−ε) · h] for small [h > 0]. *)
Theorem left_germ x : exists d, 0 < d /\ forall h, 0 < h < d ->
  f (x - h) = st (at_minus cv p x) + inf (at_minus cv p x) * h.
Proof.
  destruct (evalL_germ cv p (LC x (-1))) as [d [Hd H]]; exists d; split; auto.
  intros h Hh; rewrite <- H by auto; unfold f; simpl; f_equal; ring.
Qed.

Lemma near_right x d (P : R -> Prop) : 0 < d ->
  (forall y, x < y < x + d -> P y) -> at_right x P.
Proof.
  intros Hd H; exists (mkposreal d Hd); intros y Hy Hxy; apply ballR in Hy.
  change (Rabs (y - x) < d) in Hy; apply Rabs_def2 in Hy; apply H; lra.
Qed.

Lemma near_left x d (P : R -> Prop) : 0 < d ->
  (forall y, x - d < y < x -> P y) -> at_left x P.
Proof.
  intros Hd H; exists (mkposreal d Hd); intros y Hy Hxy; apply ballR in Hy.
  change (Rabs (y - x) < d) in Hy; apply Rabs_def2 in Hy; apply H; lra.
Qed.

(** Theorem 1 (right): [st f(x+ε) = lim_{y→x⁺} f(y)]. *)
Theorem right_limit x : filterlim f (at_right x) (locally (st (at_plus cv p x))).
Proof.
  destruct (right_germ x) as [d [Hd H]].
  apply (lim_affine _ _ x _ (inf (at_plus cv p x))); [|apply filter_le_within].
  apply (near_right x d); auto; intros y Hy.
  replace y with (x + (y - x)) at 1 by ring; apply H; lra.
Qed.

(** Theorem 1 (right): the ε coefficient of [f(x+ε)] is the right
    derivative [lim_{h→0⁺} (f(x+h) − f(x⁺))/h]. *)
Theorem right_derivative x :
  filterlim (fun h => (f (x + h) - st (at_plus cv p x)) / h) (at_right 0)
            (locally (inf (at_plus cv p x))).
Proof.
  destruct (right_germ x) as [d [Hd H]].
  apply (lim_affine _ _ 0 _ 0); [|apply filter_le_within].
  apply (near_right 0 d); auto; intros h Hh.
  rewrite H by lra; field; lra.
Qed.

(** Theorem 1 (left): [st f(x−ε) = lim_{y→x⁻} f(y)]. *)
Theorem left_limit x : filterlim f (at_left x) (locally (st (at_minus cv p x))).
Proof.
  destruct (left_germ x) as [d [Hd H]].
  apply (lim_affine _ _ x _ (- inf (at_minus cv p x))); [|apply filter_le_within].
  apply (near_left x d); auto; intros y Hy.
  replace y with (x - (x - y)) at 1 by ring; rewrite H by lra; ring.
Qed.

(** Theorem 1 (left): minus the ε coefficient of [f(x−ε)] is the left
    derivative [lim_{h→0⁻} (f(x+h) − f(x⁻))/h]. *)
Theorem left_derivative x :
  filterlim (fun h => (f (x + h) - st (at_minus cv p x)) / h) (at_left 0)
            (locally (- inf (at_minus cv p x))).
Proof.
  destruct (left_germ x) as [d [Hd H]].
  apply (lim_affine _ _ 0 _ 0); [|apply filter_le_within].
  apply (near_left 0 d); auto; intros h Hh.
  replace (x + h) with (x - - h) by ring; rewrite H by lra; field; lra.
Qed.

(** The decoding in terms of limits: the point mass is the jump
    [lim_{h→0⁺} f(x+h) − f(x−h)], the regular part the mean of the two
    one-sided derivatives. *)
Theorem mass_limit x :
  filterlim (fun h => f (x + h) - f (x - h)) (at_right 0) (locally (mass cv p x)).
Proof.
  destruct (right_germ x) as [d1 [Hd1 H1]], (left_germ x) as [d2 [Hd2 H2]].
  destruct (germ_min d1 d2 Hd1 Hd2) as [Hd H].
  apply (lim_affine _ _ 0 _ (inf (at_plus cv p x) - inf (at_minus cv p x))); [|apply filter_le_within].
  apply (near_right 0 (Rmin d1 d2)); auto; intros h Hh; destruct (H h ltac:(lra)).
  rewrite H1, H2 by auto; unfold mass; ring.
Qed.

Theorem regular_limit x :
  filterlim (fun h => ((f (x + h) - st (at_plus cv p x)) / h
                       + (f (x - h) - st (at_minus cv p x)) / (- h)) / 2)
            (at_right 0) (locally (regular cv p x)).
Proof.
  destruct (right_germ x) as [d1 [Hd1 H1]], (left_germ x) as [d2 [Hd2 H2]].
  destruct (germ_min d1 d2 Hd1 Hd2) as [Hd H].
  apply (lim_affine _ _ 0 _ 0); [|apply filter_le_within].
  apply (near_right 0 (Rmin d1 d2)); auto; intros h Hh; destruct (H h ltac:(lra)).
  rewrite H1, H2 by auto; unfold regular; field; lra.
Qed.

End Decoding.
