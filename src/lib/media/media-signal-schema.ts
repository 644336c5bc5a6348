/** The shape a browser's WebRTC signal must have before the carrier relays it (see media-signal.ts). */
import { z } from 'zod';
import { MEDIA_CANDIDATE_MAX, MEDIA_SDP_MAX, type MediaSignal } from './media-signal';

export const ZMediaSignal: z.ZodType<MediaSignal> = z.union([
	z.strictObject({
		description: z.strictObject({
			type: z.enum(['offer', 'answer']),
			sdp: z.string().min(1, 'sdp: empty').max(MEDIA_SDP_MAX, `sdp: at most ${MEDIA_SDP_MAX} characters`)
		})
	}),
	z.strictObject({
		candidate: z.strictObject({
			candidate: z.string().max(MEDIA_CANDIDATE_MAX, `candidate: at most ${MEDIA_CANDIDATE_MAX} characters`),
			sdpMid: z.string().max(64).nullable(),
			sdpMLineIndex: z.int().min(0).max(64).nullable()
		})
	})
]);
