// What error-answer-on-demand.ts offers, with the parser imported statically: the UMD
// drop-ins are one file each, with nothing to load later, and build with this module
// in place of that one (rollup.config.mjs).

import { errorFromAnswer as parse } from '../core/error-answer.js';
import type * as OnDemand from './error-answer-on-demand.js';

export const errorFromAnswer: typeof OnDemand.errorFromAnswer = async (input) => parse(input);
