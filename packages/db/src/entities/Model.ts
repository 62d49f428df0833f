import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, PROVIDERS, notifyPlatformChange } from './common';

/** The model catalogue. The id is a stable slug the rest of the data refers to. */
export const Model = defineEntity({
  name: 'Model',
  tableName: 'models',
  triggers: [notifyPlatformChange()],
  properties: {
    id: p.string().length(128).primary(),
    provider: p.enum(PROVIDERS),
    providerModelId: p.string().length(255),
    displayName: p.string().length(255),
    enabled: p.boolean().default(true),
    contextWindow: p.integer().default(8192),
    supportsVision: p.boolean().default(false),
    supportsImageGeneration: p.boolean().default(false),
    // Prices per million tokens, in the currency's units; cost per token in micros equals these.
    inputPricePerMTok: p.decimal('number').precision(12).scale(6).default(0),
    outputPricePerMTok: p.decimal('number').precision(12).scale(6).default(0),
    // Price of one generated image, in the currency's units (image generation models).
    pricePerImage: p.decimal('number').precision(12).scale(6).default(0),
    sortOrder: p.integer().default(0),
    // Only users whose `unlocks` hold this key see and use the model (null: everyone).
    requiredUnlock: p.string().length(64).nullable(),
    createdAt: createdAt(),
  },
});
export type IModel = InferEntity<typeof Model>;
