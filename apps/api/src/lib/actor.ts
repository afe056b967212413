/** Who did it, for the audit log: the signed-in user and the request that carried the change. */
export interface Actor {
  userId: string;
  requestId: string;
}

export const actorOf = (request: { auth: { userId: string }; id: string }): Actor => ({
  userId: request.auth.userId,
  requestId: request.id,
});
