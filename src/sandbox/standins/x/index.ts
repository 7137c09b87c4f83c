export { MEDIA_LIMITS } from './media-upload.js';
export { startXStandIn } from './x-standin-server.js';
export {
  STAND_IN_FAULT_KINDS,
  X_SANDBOX_ACCOUNT,
  type XStandIn,
  type XStandInAccount,
  type XStandInBilling,
  type XStandInBillingOptions,
  type XStandInBillingState,
  type XStandInCharge,
  type XStandInChargeKind,
  type XStandInEvent,
  type XStandInFault,
  type XStandInFaultKind,
  type XStandInFaults,
  type XStandInMedia,
  type XStandInOptions,
  type XStandInRoute,
  type XStandInThread,
  type XStandInTweet,
  type XStandInUrlEntity,
} from './x-standin-types.js';
