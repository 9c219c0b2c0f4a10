#!/usr/bin/env bash
# Plans one synthesized stack in a job of the recovery-plan workflow's matrix, writes its recovery-plan report
# (cdktf.out/recovery-plan-<stack>.md and .json), and leaves the report and a status ({ stack, planOutcome, reportExit })
# in review-input/ (review-input/status/<stack>.json) for the review job (scripts/ci/review.ts). Exits non-zero when
# the plan or the stack's gate failed.
#
#   online (TF_PLUGIN_DIR empty): terraform init (with the committed lock file locks/<stack>.terraform.lock.hcl when
#     there is one, read-only), plan -lock=false, show -json into $RUNNER_TEMP, then the report reads that plan.
#   offline (TF_PLUGIN_DIR set): the report plans through its offline harness (--terraform-plan auto).
#
#   not in PLAN_STACKS (when set): no Terraform; the report says the plan was not run.
#
# Environment: TF_PLUGIN_DIR, PLAN_STACKS (space-separated), REPORT_ARGS (extra report options), RUNNER_TEMP.
# Usage: scripts/ci/plan-stack.sh <stack>
set -uo pipefail
stack="${1:?usage: scripts/ci/plan-stack.sh <stack>}"
dir="cdktf.out/stacks/$stack"
if [ ! -f "$dir/cdk.tf.json" ]; then
  echo "::error::no synthesized stack $stack ($dir/cdk.tf.json is missing)"
  exit 2
fi
# The JSON plan holds sensitive values in clear: it stays in RUNNER_TEMP, which is never uploaded.
plans="${RUNNER_TEMP:-$(mktemp -d)}/plans"
mkdir -p "$plans" review-input/status

plan_outcome=skipped
listed=yes
if [ -n "${PLAN_STACKS:-}" ]; then
  case " $(echo "$PLAN_STACKS" | tr -s '[:space:],' ' ') " in *" $stack "*) ;; *) listed=no ;; esac
fi
if [ "$listed" = no ]; then
  echo "$stack is not in PLAN_STACKS ($PLAN_STACKS): no terraform plan"
  report_args=(--terraform-plan off)
elif [ -z "${TF_PLUGIN_DIR:-}" ]; then
  lockfile=()
  if [ -f "locks/$stack.terraform.lock.hcl" ]; then
    # readonly: a provider that does not match the reviewed lock file fails init instead of being installed.
    cp "locks/$stack.terraform.lock.hcl" "$dir/.terraform.lock.hcl"
    lockfile=(-lockfile=readonly)
  else
    echo "::notice::$stack: no locks/$stack.terraform.lock.hcl is committed; terraform init picks provider checksums itself (docs/ci.md, The provider lock file)"
  fi
  echo "::group::terraform init and plan: $stack"
  # -lock=false: a plan only reads state, so the plan identity needs no write access to the lock table.
  if terraform -chdir="$dir" init -input=false -no-color "${lockfile[@]}" \
    && terraform -chdir="$dir" plan -input=false -no-color -lock=false -out="$plans/$stack.tfplan" \
    && terraform -chdir="$dir" show -json "$plans/$stack.tfplan" > "$plans/$stack.tfplan.json"; then
    plan_outcome=success
  else
    plan_outcome=failure
    rm -f "$plans/$stack.tfplan.json"
    echo "::error::terraform plan failed for $stack"
  fi
  echo "::endgroup::"
  report_args=(--terraform-plan off --plan-json-dir "$plans")
else
  # auto: a stack whose providers the mirror lacks is reported as "not run", naming the missing providers.
  report_args=(--terraform-plan auto --plugin-dir "$TF_PLUGIN_DIR")
fi

# REPORT_ARGS is a list of options (e.g. "--allow-unknown-rpo --pessimistic"), split on purpose.
# shellcheck disable=SC2086
npm run -s report -- --stack "$stack" --gate "${report_args[@]}" ${REPORT_ARGS:-}
report_exit=$?
for file in "cdktf.out/recovery-plan-$stack.md" "cdktf.out/recovery-plan-$stack.json"; do
  if [ -f "$file" ]; then cp "$file" review-input/; fi
done
printf '{"stack":"%s","planOutcome":"%s","reportExit":"%s"}\n' "$stack" "$plan_outcome" "$report_exit" > "review-input/status/$stack.json"
echo "$stack: plan step $plan_outcome, report exit $report_exit"
[ "$plan_outcome" != failure ] && [ "$report_exit" -eq 0 ]
