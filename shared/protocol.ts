/**
 * The wire protocol between the server (main/server) and the pages (renderer/). Every message that
 * crosses the network is parsed with one of these schemas (docs/ARCHITECTURE.md, rule 2); the
 * TypeScript types are inferred from them so the format has one definition. In three parts: the
 * trainee's messages, the instructor's commands, and the views the server sends.
 */
export * from './protocol/common';
export * from './protocol/trainee';
export * from './protocol/instructor';
export * from './protocol/views';
export type {
  BlankMode,
  GameMode,
  ProjectorOverlay,
  ProjectorScreen,
  ProjectorTheme,
  QaStatus,
  SessionPhase,
} from './vocabulary';
