/** rampa's version, written into every summary and printed by `rampa version`. */
export const VERSION = "0.1.0";
