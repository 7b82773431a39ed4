import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/module.ts';
import type { EventsReadModel } from './read-model.ts';

export function registrationRoutes(_app: FastifyInstance, _ctx: AppContext, _model: EventsReadModel): void {}
