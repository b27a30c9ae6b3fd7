(** The axioms the main theorems depend on (checked by tests/proof). *)
From Infnum Require Import Syntax OneSided Pieces Distribution.
Print Assumptions right_limit.
Print Assumptions right_derivative.
Print Assumptions left_limit.
Print Assumptions left_derivative.
Print Assumptions mass_limit.
Print Assumptions regular_limit.
Print Assumptions breakpoints_finite.
Print Assumptions distributional_derivative.
