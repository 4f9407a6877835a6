/** The page's one connection to the room, shared by the join form and the classroom chunk. */
import { TraineeConnection } from './connection';

export const connection = new TraineeConnection(
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/trainee`,
);

/** Server messages are written for logs too ("that room code is …"): start them with a capital. */
export const sentence = (m: string) => m.charAt(0).toUpperCase() + m.slice(1);
