/** Twilio's limit for one (concatenated) text body, in characters: the composer, the API, the archive column and the carrier twin all hold to it. */
export const SMS_BODY_MAX = 1600;
