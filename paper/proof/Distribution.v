(** * Theorem 3: the two-sided decoding is the distributional derivative

    For a test function [φ] that is C¹ with support in [[a, b]]:
    [− ∫_a^b f φ' = ∫_a^b r φ + Σ_{t ∈ B} J(t) φ(t)], where [r] is the
    regular part and [J] the point mass that the decoding returns
    ([regular], [mass] in Syntax.v) and [B] the breakpoints of [f] in
    [(a, b)] ([J] vanishes everywhere else in [(a, b)]).  Proof: integration
    by parts on the affine pieces, glued at the breakpoints by the same
    compactness argument as theorem 2. *)

From Coq Require Import Reals Lra List.
From Coquelicot Require Import Coquelicot.
From Infnum Require Import Syntax OneSided Pieces.
Import ListNotations.
Open Scope R_scope.

(** ** Integration by parts on one affine piece *)

Section Piece.
Variables phi dphi : R -> R.
Hypothesis Hphi : forall x, is_derive phi x (dphi x).
Hypothesis Hdphi : forall x, continuous dphi x.

Lemma phi_cont x : continuous phi x.
Proof. apply (@ex_derive_continuous R_AbsRing R_NormedModule); exists (dphi x); auto. Qed.

Lemma affine_cont al be x : continuous (fun y => al * y + be) x.
Proof.
  apply (continuous_plus (fun y => al * y) (fun _ => be)); [|apply continuous_const].
  apply (continuous_mult (fun _ => al) (fun y => y)); [apply continuous_const|apply continuous_id].
Qed.

Lemma ibp_affine al be c d :
  ex_RInt (fun y => (al * y + be) * dphi y) c d /\ ex_RInt (fun y => al * phi y) c d /\
  RInt (fun y => (al * y + be) * dphi y) c d =
    (al * d + be) * phi d - (al * c + be) * phi c - RInt (fun y => al * phi y) c d.
Proof.
  assert (C1 : ex_RInt (fun y => (al * y + be) * dphi y) c d).
  { apply (@ex_RInt_continuous R_CompleteNormedModule); intros z _.
    apply (continuous_mult (fun y => al * y + be) dphi); auto; apply affine_cont. }
  assert (C2 : ex_RInt (fun y => al * phi y) c d).
  { apply (@ex_RInt_continuous R_CompleteNormedModule); intros z _.
    apply (continuous_mult (fun _ => al) phi); [apply continuous_const|apply phi_cont]. }
  split; auto; split; auto.
  assert (HG : is_RInt (fun y => al * phi y + (al * y + be) * dphi y) c d
                 ((al * d + be) * phi d - (al * c + be) * phi c)).
  { apply (@is_RInt_derive R_CompleteNormedModule (fun y => (al * y + be) * phi y)).
    - intros x _; apply (Derive.is_derive_mult (fun y => al * y + be) phi x al (dphi x)); auto.
      auto_derive; auto; ring.
    - intros x _; apply (continuous_plus (fun y => al * phi y) (fun y => (al * y + be) * dphi y)).
      + apply (continuous_mult (fun _ => al) phi); [apply continuous_const|apply phi_cont].
      + apply (continuous_mult (fun y => al * y + be) dphi); auto; apply affine_cont. }
  apply (@is_RInt_unique R_CompleteNormedModule) in HG.
  pose proof (@RInt_plus R_CompleteNormedModule (fun y => al * phi y) (fun y => (al * y + be) * dphi y) c d C2 C1) as E.
  unfold plus in E; simpl in E; rewrite HG in E; lra.
Qed.
End Piece.

(** ** The decoding on an affine piece *)

(** Two affine functions of [h] that agree on [(0, δ)] are equal. *)
Lemma affine_unique A B A' B' d : 0 < d ->
  (forall h, 0 < h < d -> A + B * h = A' + B' * h) -> A = A' /\ B = B'.
Proof.
  intros Hd H.
  assert (E1 := H (d / 2) ltac:(lra)); assert (E2 := H (d / 4) ltac:(lra)).
  assert (Hb : (B - B') * (d / 4) = 0) by lra.
  apply Rmult_integral in Hb; destruct Hb as [Hb|Hb]; [|lra].
  split; [|lra]; replace B with B' in E1 by lra; lra.
Qed.

Section Decoding.
Variable cv : conv.
Variable p : prog.
Let f := evalR cv p.

(** Where [f] is [α y + β] on [(c, d)]: [f(x+ε) = α x + β + α ε] for
    [c ≤ x < d], [f(x−ε) = α x + β − α ε] for [c < x ≤ d]. *)
Lemma plus_on_piece al be c d x :
  (forall y, c < y < d -> f y = al * y + be) -> c <= x < d ->
  st (at_plus cv p x) = al * x + be /\ inf (at_plus cv p x) = al.
Proof.
  intros Hf Hx; destruct (right_germ cv p x) as [r [Hr H]].
  destruct (germ_min r (d - x) Hr ltac:(lra)) as [Hm Hmin].
  destruct (affine_unique (st (at_plus cv p x)) (inf (at_plus cv p x)) (al * x + be) al _ Hm)
    as [E1 E2]; auto.
  intros h Hh; destruct (Hmin h Hh); rewrite <- H by auto; fold f; rewrite Hf by lra; ring.
Qed.

Lemma minus_on_piece al be c d x :
  (forall y, c < y < d -> f y = al * y + be) -> c < x <= d ->
  st (at_minus cv p x) = al * x + be /\ inf (at_minus cv p x) = - al.
Proof.
  intros Hf Hx; destruct (left_germ cv p x) as [r [Hr H]].
  destruct (germ_min r (x - c) Hr ltac:(lra)) as [Hm Hmin].
  destruct (affine_unique (st (at_minus cv p x)) (inf (at_minus cv p x)) (al * x + be) (- al) _ Hm)
    as [E1 E2]; auto.
  intros h Hh; destruct (Hmin h Hh); rewrite <- H by auto; fold f; rewrite Hf by lra; ring.
Qed.

Lemma regular_on_piece al be c d x :
  (forall y, c < y < d -> f y = al * y + be) -> c < x < d -> regular cv p x = al.
Proof.
  intros Hf Hx; unfold regular.
  rewrite (proj2 (plus_on_piece al be c d x Hf ltac:(lra))),
          (proj2 (minus_on_piece al be c d x Hf ltac:(lra))); field.
Qed.

Lemma mass_on_piece al be c d x :
  (forall y, c < y < d -> f y = al * y + be) -> c < x < d -> mass cv p x = 0.
Proof.
  intros Hf Hx; unfold mass.
  rewrite (proj1 (plus_on_piece al be c d x Hf ltac:(lra))),
          (proj1 (minus_on_piece al be c d x Hf ltac:(lra))); ring.
Qed.

End Decoding.

(** ** Sums over breakpoints *)

Definition inside (c d t : R) : bool :=
  if Rlt_dec c t then if Rlt_dec t d then true else false else false.

Lemma inside_iff c d t : inside c d t = true <-> c < t < d.
Proof.
  unfold inside; destruct (Rlt_dec c t), (Rlt_dec t d); split; intros; try lra; auto; discriminate.
Qed.

(** [Σ_{t ∈ B} g(t)] and [Σ_{t ∈ B, c < t < d} g(t)]. *)
Definition sum_list (B : list R) (g : R -> R) : R := fold_right (fun t acc => g t + acc) 0 B.
Definition sum_inside (B : list R) (c d : R) (g : R -> R) : R :=
  sum_list B (fun t => if inside c d t then g t else 0).
Definition sum_at (B : list R) (u : R) (g : R -> R) : R :=
  sum_list B (fun t => if Req_EM_T t u then g t else 0).

Lemma sum_inside_none B c d g : (forall t, In t B -> ~ (c < t < d)) -> sum_inside B c d g = 0.
Proof.
  unfold sum_inside; induction B as [|t B IH]; simpl; intros H; auto.
  destruct (inside c d t) eqn:E.
  - apply inside_iff in E; exfalso; apply (H t); auto.
  - rewrite IH; [ring|]; intros u Hu; apply H; auto.
Qed.

Lemma sum_inside_all B a b g : (forall t, In t B -> a < t < b) -> sum_inside B a b g = sum_list B g.
Proof.
  unfold sum_inside; induction B as [|t B IH]; simpl; intros H; auto.
  destruct (inside a b t) eqn:E.
  - rewrite IH; auto.
  - exfalso; assert (Ht := H t (or_introl eq_refl)); apply inside_iff in Ht; congruence.
Qed.

Lemma sum_inside_split B c t d g : c < t < d ->
  sum_inside B c d g = sum_inside B c t g + sum_inside B t d g + sum_at B t g.
Proof.
  intros Ht; unfold sum_inside, sum_at; induction B as [|u B IH]; simpl; [ring|].
  rewrite IH; unfold inside.
  destruct (Rlt_dec c u), (Rlt_dec u d), (Rlt_dec u t), (Rlt_dec t u), (Req_EM_T u t);
    try ring; exfalso; lra.
Qed.

Lemma sum_at_absent B u g : ~ In u B -> sum_at B u g = 0.
Proof.
  unfold sum_at; induction B as [|t B IH]; simpl; intros H; auto.
  destruct (Req_EM_T t u); [exfalso; apply H; auto|]; rewrite IH; [ring | tauto].
Qed.

Lemma sum_at_nodup B u g : NoDup B -> (In u B \/ g u = 0) -> sum_at B u g = g u.
Proof.
  intros Hnd; induction Hnd as [|t B Ht Hnd IH]; intros H.
  - unfold sum_at; simpl; destruct H as [[]|H]; lra.
  - change (sum_at (t :: B) u g) with ((if Req_EM_T t u then g t else 0) + sum_at B u g).
    destruct (Req_EM_T t u) as [->|Hne].
    + rewrite (sum_at_absent B u g Ht); ring.
    + rewrite IH; [ring|]; destruct H as [[H|H]|H]; auto; congruence.
Qed.

(** A point has a neighbourhood with no other point of a finite list. *)
Lemma isolated (B : list R) x :
  exists r, 0 < r /\ forall t, In t B -> t <> x -> r <= Rabs (t - x).
Proof.
  induction B as [|u B [r [Hr H]]].
  - exists 1; split; [lra|]; intros t [].
  - destruct (Req_EM_T u x) as [->|Hne].
    + exists r; split; auto; intros t [<-|Ht] Htx; [congruence|auto].
    + assert (Hu : 0 < Rabs (u - x)) by (apply Rabs_pos_lt; lra).
      exists (Rmin r (Rabs (u - x))); split; [apply Rmin_glb_lt; auto|].
      intros t [<-|Ht] Htx; [apply Rmin_r|].
      apply Rle_trans with r; [apply Rmin_l | auto].
Qed.

(** ** Theorem 3 *)

Section Theorem3.
Variable cv : conv.
Variable p : prog.
Variables phi dphi : R -> R.
Hypothesis Hphi : forall x, is_derive phi x (dphi x).
Hypothesis Hdphi : forall x, continuous dphi x.
Variables a b : R.
Variable B : list R.
Hypothesis HB : pw_affine (evalR cv p) a b B.
Hypothesis HBnd : NoDup B.

Let f := evalR cv p.
Let fR x := st (at_plus cv p x).
Let fL x := st (at_minus cv p x).
Let J x := mass cv p x * phi x.

(** What integration by parts gives on [[c, d]] (boundary terms kept). *)
Definition ibp_on (c d : R) : Prop :=
  ex_RInt (fun x => f x * dphi x) c d /\ ex_RInt (fun x => regular cv p x * phi x) c d /\
  RInt (fun x => f x * dphi x) c d =
    fL d * phi d - fR c * phi c - RInt (fun x => regular cv p x * phi x) c d - sum_inside B c d J.

Lemma mass_off_breakpoints t : a < t < b -> ~ In t B -> mass cv p t = 0.
Proof.
  intros Ht Hn; destruct (isolated B t) as [r [Hr H]].
  set (c := Rmax a (t - r)); set (d := Rmin b (t + r)).
  assert (Hc : a <= c /\ c < t) by (unfold c, Rmax; destruct (Rle_dec _ _); lra).
  assert (Hd : d <= b /\ t < d) by (unfold d, Rmin; destruct (Rle_dec _ _); lra).
  destruct (HB c d) as [al [be Hf]]; try tauto.
  - intros u Hu Hcud; assert (Hne : u <> t) by (intros ->; auto).
    specialize (H u Hu Hne).
    assert (t - r <= c) by (unfold c; apply Rmax_r).
    assert (d <= t + r) by (unfold d; apply Rmin_r).
    revert H; apply Rlt_not_le; apply Rabs_def1; lra.
  - apply (mass_on_piece cv p al be c d t Hf); lra.
Qed.

Lemma ibp_piece c d : a <= c -> c < d -> d <= b -> (forall t, In t B -> ~ (c < t < d)) -> ibp_on c d.
Proof.
  intros Hac Hcd Hdb Hfree; destruct (HB c d Hac Hdb Hfree) as [al [be Hf]].
  destruct (ibp_affine phi dphi Hphi Hdphi al be c d) as [C1 [C2 E]].
  assert (Ef : forall x, Rmin c d < x < Rmax c d -> (al * x + be) * dphi x = f x * dphi x).
  { intros x Hx; rewrite Rmin_left, Rmax_right in Hx by lra; unfold f; rewrite Hf; auto. }
  assert (Er : forall x, Rmin c d < x < Rmax c d -> al * phi x = regular cv p x * phi x).
  { intros x Hx; rewrite Rmin_left, Rmax_right in Hx by lra.
    rewrite (regular_on_piece cv p al be c d x Hf Hx); auto. }
  split; [apply (ex_RInt_ext _ _ c d Ef C1)|].
  split; [apply (ex_RInt_ext _ _ c d Er C2)|].
  rewrite <- (RInt_ext _ _ c d Ef), <- (RInt_ext _ _ c d Er), E.
  rewrite sum_inside_none by auto; unfold fL, fR.
  rewrite (proj1 (minus_on_piece cv p al be c d d Hf ltac:(lra))),
          (proj1 (plus_on_piece cv p al be c d c Hf ltac:(lra))); symmetry; apply Rminus_0_r.
Qed.

Lemma ibp_glue c t d : a <= c -> c < t < d -> d <= b -> ibp_on c t -> ibp_on t d -> ibp_on c d.
Proof.
  intros Hac Ht Hdb [A1 [B1 E1]] [A2 [B2 E2]].
  split; [apply (ex_RInt_Chasles _ c t d); auto|].
  split; [apply (ex_RInt_Chasles _ c t d); auto|].
  rewrite <- (@RInt_Chasles R_CompleteNormedModule _ c t d A1 A2),
          <- (@RInt_Chasles R_CompleteNormedModule _ c t d B1 B2).
  unfold plus; simpl; rewrite E1, E2, (sum_inside_split B c t d J Ht).
  rewrite (sum_at_nodup B t J HBnd).
  - unfold J, mass, fL, fR; ring.
  - destruct (in_dec Req_EM_T t B) as [Hin|Hn]; [left; auto|right].
    unfold J; rewrite (mass_off_breakpoints t); [ring|lra|auto].
Qed.

Lemma ibp_all : a < b -> ibp_on a b.
Proof.
  intros Hab.
  assert (H : forall c d, c <= d -> a <= c -> d <= b -> c = d \/ ibp_on c d).
  { apply (cousin (fun c d => a <= c -> d <= b -> c = d \/ ibp_on c d)).
    - intros c t d Ht H1 H2 Hc Hd.
      destruct (Req_dec c t) as [<-|Hct]; [apply H2; lra|].
      destruct (Req_dec t d) as [->|Htd]; [apply H1; lra|].
      right; apply (ibp_glue c t d); auto; try lra.
      + destruct H1 as [H1|H1]; auto; lra; lra.
      + destruct H2 as [H2|H2]; auto; lra; lra.
    - intros x; destruct (isolated B x) as [r [Hr Hiso]].
      exists r; split; auto; intros c d Hc Hcd Hd Hac Hdb.
      destruct (Req_dec c d) as [|Hne]; [left; auto|right].
      assert (Hfree : forall c' d', x - r < c' -> d' < x + r -> (x <= c' \/ d' <= x) ->
                        forall t, In t B -> ~ (c' < t < d')).
      { intros c' d' Hc' Hd' Hx t Ht Hin.
        assert (Htx : t <> x) by (intros ->; lra).
        specialize (Hiso t Ht Htx); revert Hiso; apply Rlt_not_le; apply Rabs_def1; lra. }
      destruct (Rle_or_lt x c) as [Hxc|Hcx].
      + apply ibp_piece; try lra; apply Hfree; lra.
      + destruct (Rle_or_lt d x) as [Hdx|Hxd].
        * apply ibp_piece; try lra; apply Hfree; lra.
        * apply (ibp_glue c x d); try lra; apply ibp_piece; try lra; apply Hfree; lra. }
  destruct (H a b) as [E|E]; auto; lra.
Qed.

End Theorem3.

(** A continuous function that vanishes on [(−∞, a)] (on [(b, +∞)])
    vanishes at [a] (at [b]). *)
Lemma zero_at_left_end (phi : R -> R) a :
  continuous phi a -> (forall x, x < a -> phi x = 0) -> phi a = 0.
Proof.
  intros Hc H0; apply (filterlim_locally_unique (F := at_left a) phi).
  - apply (filterlim_filter_le_1 _ (filter_le_within _) Hc).
  - apply (filterlim_ext_loc (fun _ => 0)); [|apply filterlim_const].
    exists (mkposreal 1 Rlt_0_1); intros y _ Hy; symmetry; auto.
Qed.

Lemma zero_at_right_end (phi : R -> R) b :
  continuous phi b -> (forall x, b < x -> phi x = 0) -> phi b = 0.
Proof.
  intros Hc H0; apply (filterlim_locally_unique (F := at_right b) phi).
  - apply (filterlim_filter_le_1 _ (filter_le_within _) Hc).
  - apply (filterlim_ext_loc (fun _ => 0)); [|apply filterlim_const].
    exists (mkposreal 1 Rlt_0_1); intros y _ Hy; symmetry; auto.
Qed.

(** Theorem 3: for [φ] C¹ with support in [[a, b]],
    [− ∫_a^b f φ' = ∫_a^b r φ + Σ_{t ∈ B} J(t) φ(t)], [B] the breakpoints
    of [f] in [(a, b)] (no repetition; [f] is affine between them and [J]
    vanishes at every other point of [(a, b)]). *)
Theorem distributional_derivative cv p (phi dphi : R -> R) a b :
  a < b ->
  (forall x, is_derive phi x (dphi x)) -> (forall x, continuous dphi x) ->
  (forall x, x < a \/ b < x -> phi x = 0) ->
  exists B, NoDup B /\ (forall t, In t B -> a < t < b) /\
    pw_affine (evalR cv p) a b B /\
    (forall t, a < t < b -> ~ In t B -> mass cv p t = 0) /\
    ex_RInt (fun x => evalR cv p x * dphi x) a b /\
    ex_RInt (fun x => regular cv p x * phi x) a b /\
    - RInt (fun x => evalR cv p x * dphi x) a b =
      RInt (fun x => regular cv p x * phi x) a b + sum_list B (fun t => mass cv p t * phi t).
Proof.
  intros Hab Hphi Hdphi Hsupp0.
  assert (Hsupp : forall x, x <= a \/ b <= x -> phi x = 0).
  { intros x Hx; destruct (Rlt_dec x a) as [Hxa|Hxa]; [apply Hsupp0; lra|].
    destruct (Rlt_dec b x) as [Hbx|Hbx]; [apply Hsupp0; lra|].
    destruct Hx as [Hx|Hx].
    - replace x with a by lra; apply zero_at_left_end; [apply phi_cont with dphi; auto|].
      intros; apply Hsupp0; lra.
    - replace x with b by lra; apply zero_at_right_end; [apply phi_cont with dphi; auto|].
      intros; apply Hsupp0; lra. }
  destruct (breakpoints_finite cv p a b) as [B0 HB0].
  set (B := nodup Req_EM_T (filter (inside a b) B0)).
  assert (HBin : forall t, In t B -> a < t < b).
  { intros t Ht; apply nodup_In, filter_In in Ht; apply inside_iff; tauto. }
  assert (HB : pw_affine (evalR cv p) a b B).
  { intros c d Hc Hd Hfree; apply HB0; auto; intros t Ht Hct.
    apply (Hfree t); auto; apply nodup_In, filter_In; split; auto; apply inside_iff; lra. }
  assert (Hnd : NoDup B) by apply NoDup_nodup.
  exists B; split; auto; split; auto; split; auto.
  split; [intros t Ht Hn; apply (mass_off_breakpoints cv p phi a b B HB t Ht Hn)|].
  destruct (ibp_all cv p phi dphi Hphi Hdphi a b B HB Hnd Hab) as [A1 [A2 E]].
  split; auto; split; auto.
  rewrite E, (sum_inside_all B a b _ HBin), (Hsupp a), (Hsupp b) by lra; ring.
Qed.
