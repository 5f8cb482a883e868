// Describes where a credential travelled, for messages: `Authorization header`, `query parameter access_token`.
import type { CredentialLocation } from '../../model/index.js';

export function describeLocation(location: CredentialLocation): string {
  switch (location.type) {
    case 'header':
      return `${location.name} header`;
    case 'query':
      return `query parameter ${location.name}`;
    case 'form':
      return `form field ${location.name} of the ${location.message}`;
    case 'json':
      return `JSON field ${location.name} of the ${location.message}`;
    case 'cookie':
      return `cookie ${location.name}`;
  }
}
