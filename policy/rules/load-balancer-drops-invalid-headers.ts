import { isReference, literalString, trueOrUnknown } from "../json";
import { CANNOT_TELL, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** Application load balancers drop malformed HTTP headers instead of passing them to the servers (request smuggling). */
export const LoadBalancerDropsInvalidHeaders: PolicyRule = {
  id: "LoadBalancerDropsInvalidHeaders",
  description: "Application load balancers drop invalid HTTP header fields.",
  severity: "warning",
  appliesTo: ["aws_lb", "aws_alb"],
  check: ({ body }) => {
    if (isReference(body.load_balancer_type)) return CANNOT_TELL;
    if ((literalString(body.load_balancer_type) ?? "application") !== "application") return NOT_APPLICABLE;
    return trueOrUnknown(body.drop_invalid_header_fields) ?? nonCompliant("drop_invalid_header_fields is not true; set it to true");
  },
};
