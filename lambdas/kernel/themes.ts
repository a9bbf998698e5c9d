import type { Survey, Theme } from './survey.ts';

/**
 * The CX taxonomy a survey starts with (its `themes` replace it): what customers of shops, restaurants, hotels,
 * deliveries and support talk about, in their words per language. A word matches every word of its stem ("espera"
 * finds "esperamos"), a word ending in `*` every word it starts ("atend*" finds "atendente"), and a phrase its
 * words in a row.
 */
export const DEFAULT_THEMES: readonly Theme[] = [
  {
    id: 'staff',
    name: { en: 'Staff', es: 'Personal', pt: 'Equipe' },
    words: {
      en: [
        'staff',
        'employee',
        'cashier',
        'waiter',
        'waitress',
        'clerk',
        'agent',
        'rep',
        'manager',
        'attendant',
        'salesperson',
        'friendly',
        'rude',
        'helpful',
      ],
      es: [
        'personal',
        'empleado',
        'cajero',
        'cajera',
        'dependiente',
        'vendedor',
        'vendedora',
        'mesero',
        'camarero',
        'camarera',
        'encargado',
        'atención',
        'trato',
        'amable',
        'grosero',
      ],
      pt: [
        'atend*',
        'funcionário',
        'funcionária',
        'vendedor',
        'vendedora',
        'garçom',
        'equipe',
        'gerente',
        'educado',
        'grosso',
        'simpático',
      ],
    },
  },
  {
    id: 'waiting',
    name: { en: 'Waiting time', es: 'Tiempo de espera', pt: 'Tempo de espera' },
    words: {
      en: ['wait', 'queue', 'slow', 'quick', 'fast', 'forever', 'took long', 'on hold', 'hours', 'minutes'],
      es: [
        'espera',
        'esperar',
        'fila',
        'cola',
        'demora',
        'demoraron',
        'tardaron',
        'lento',
        'lenta',
        'rápido',
        'rápida',
      ],
      pt: [
        'espera',
        'esperar',
        'fila',
        'demora',
        'demorou',
        'demorado',
        'lento',
        'lenta',
        'rápido',
        'rápida',
        'aguard*',
      ],
    },
  },
  {
    id: 'price',
    name: { en: 'Price', es: 'Precio', pt: 'Preço' },
    words: {
      en: [
        'price',
        'prices',
        'expensive',
        'cheap',
        'overpriced',
        'cost',
        'value for money',
        'fee',
        'charged',
      ],
      es: ['precio', 'precios', 'caro', 'cara', 'barato', 'barata', 'costo', 'coste', 'cobraron'],
      pt: ['preço', 'preços', 'caro', 'cara', 'barato', 'barata', 'custo', 'valor', 'cobraram'],
    },
  },
  {
    id: 'cleanliness',
    name: { en: 'Cleanliness', es: 'Limpieza', pt: 'Limpeza' },
    words: {
      en: ['clean', 'dirty', 'filthy', 'hygiene', 'bathroom', 'toilet', 'smell', 'smelly'],
      es: ['limpio', 'limpia', 'limpieza', 'sucio', 'sucia', 'suciedad', 'higiene', 'baño', 'olor'],
      pt: ['limpo', 'limpa', 'limpeza', 'sujo', 'suja', 'sujeira', 'higiene', 'banheiro', 'cheiro'],
    },
  },
  {
    id: 'availability',
    name: { en: 'Product availability', es: 'Disponibilidad', pt: 'Disponibilidade' },
    words: {
      en: [
        'stock',
        'out of stock',
        'sold out',
        'available',
        'unavailable',
        'missing',
        'ran out',
        'shelves',
        'shelf',
      ],
      es: ['stock', 'agotado', 'agotada', 'disponible', 'existencias', 'faltaba', 'faltan', 'estantería'],
      pt: ['estoque', 'esgotado', 'esgotada', 'disponível', 'em falta', 'faltou', 'prateleira'],
    },
  },
  {
    id: 'checkout',
    name: { en: 'Checkout', es: 'Caja y pago', pt: 'Caixa e pagamento' },
    words: {
      en: ['checkout', 'till', 'register', 'payment', 'pay', 'card', 'receipt', 'self-checkout'],
      es: ['caja', 'cajas', 'pago', 'pagar', 'tarjeta', 'ticket', 'factura'],
      pt: ['caixa', 'caixas', 'pagamento', 'pagar', 'cartão', 'nota fiscal', 'boleto'],
    },
  },
  {
    id: 'delivery',
    name: { en: 'Delivery', es: 'Entrega', pt: 'Entrega' },
    words: {
      en: ['delivery', 'delivered', 'shipping', 'shipped', 'arrived', 'courier', 'package', 'parcel'],
      es: ['entrega', 'entregaron', 'envío', 'enviaron', 'llegó', 'paquete', 'repartidor', 'pedido'],
      pt: ['entreg*', 'frete', 'chegou', 'correios', 'transportadora', 'prazo', 'pacote', 'pedido', 'recebi'],
    },
  },
  {
    id: 'product',
    name: { en: 'Product quality', es: 'Calidad del producto', pt: 'Qualidade do produto' },
    words: {
      en: ['quality', 'broken', 'defective', 'faulty', 'damaged', 'fresh', 'stale'],
      es: ['calidad', 'defectuoso', 'roto', 'rota', 'dañado', 'fresco', 'fresca'],
      pt: ['qualidade', 'defeito', 'defeituoso', 'quebrado', 'quebrada', 'danificado', 'estragado'],
    },
  },
];

/** The themes a survey's comments are read for. */
export const themesOf = (survey: Pick<Survey, 'themes'>): readonly Theme[] => survey.themes ?? DEFAULT_THEMES;
